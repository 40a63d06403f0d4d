using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Runtime;
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
    /// <summary>
    /// The demo's EmailUsername compiles to a kernel that works on the UTF-8 bytes (no string per row: the
    /// OrdinalIgnoreCase suffix test, IndexOf and Substring included) and answers as the method does.
    /// </summary>
    [Test]
    public void EmailUsername_Compiled_RunsOnUtf8AndEqualsTheMethod()
    {
        string[] emails =
        [
            "Ann.Lee+shop@Gmail.com", "Ann.Lee+shop@example.com", "BOB@gmail.com", "no-at-sign", "", "İ.x@gmail.com", "a.b@GMAıL.COM",
            "🙂.x+y@gmail.com", "x+@gmail.com", "+@gmail.com", "日本.語+タグ@gmail.com", "a@b@gmail.com", "ſ@gmail.ſom",
        ];
        var function = FunctionCompiler.Compile((Func<string, string>)TransactionFeatures.EmailUsername);
        Assert.That(function.Mode, Is.EqualTo(ExecutionMode.Compiled), function.FallbackReason);
        Assert.That(function.KernelText, Does.Contain("Utf8Ops.Substring").And.Contain("Utf8Ops.EndsWithIgnoreCase").And.Not.Contain("ToStringOrNull"));

        var column = new StringArray.Builder();
        foreach (var email in emails) column.Append(email);
        using var batch = new RecordBatch(new Schema([new Field("email", StringType.Default, nullable: false)], null), [column.Build()], emails.Length);
        using var result = function.Evaluate(batch);
        Assert.That(result.Errors, Is.Empty);
        Assert.That(((StringArray)result.Values).Cast<string?>().ToArray(), Is.EqualTo(emails.Select(TransactionFeatures.EmailUsername).ToArray()));
    }
}
