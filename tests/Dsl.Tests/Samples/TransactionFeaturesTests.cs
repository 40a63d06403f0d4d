using Dsl.Samples;

namespace Dsl.Tests.Samples;

public sealed class TransactionFeaturesTests
{
    [TestCase(100.0, null, null, true, 100.0)]
    [TestCase(100.0, 30.0, 0.5, true, 105.0)]
    [TestCase(100.0, 130.0, 0.5, true, 0.0)]
    [TestCase(100.0, 10.0, 0.5, false, 90.0)]
    [TestCase(100.0, null, null, false, 100.0)]
    public void Total_DiscountThenTax_MatchesTheReference(double subtotal, double? discount, double? taxRate, bool taxable, double expected) =>
        Assert.That(TransactionFeatures.Total(subtotal, discount, taxRate, taxable), Is.EqualTo(expected));

    [TestCase("Ann.Lee+shop@Gmail.com", "annlee")]
    [TestCase("Ann.Lee+shop@example.com", "ann.lee+shop")]
    [TestCase("BOB@gmail.com", "bob")]
    [TestCase("no-at-sign", "no-at-sign")]
    [TestCase("", "")]
    [TestCase("İ.x@gmail.com", "İx")]
    public void EmailUsername_GmailDropsTagAndDots_ThenLowerCases(string email, string expected) =>
        Assert.That(TransactionFeatures.EmailUsername(email), Is.EqualTo(expected));

    [Test]
    public void EmailUsername_Null_ThrowsNullReference() =>
        Assert.Throws<NullReferenceException>(() => TransactionFeatures.EmailUsername(null!));
}
