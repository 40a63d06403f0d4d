using System.Globalization;
using NUnit.Framework;

namespace Dsl.Fuzz.Differential;

[TestFixture]
public sealed class DelegateCallerTests
{
    [Test]
    public void For_FuncWithNullableAndReferenceParameters_CallsWithUnboxedArguments()
    {
        Func<double, int?, string, string> function = (x, n, s) => $"{x.ToString(CultureInfo.InvariantCulture)}|{n?.ToString(CultureInfo.InvariantCulture) ?? "null"}|{s ?? "null"}";

        var call = DelegateCaller.For(function);

        Assert.That(call([1.5, null, "a"]), Is.EqualTo("1.5|null|a"));
        Assert.That(call([2.0, 3, null]), Is.EqualTo("2|3|null"));
    }

    [Test]
    public void For_ThrowingFunction_ThrowsTheOriginalExceptionUnwrapped()
    {
        Func<long, long, long> divide = (a, b) => a / b;

        var call = DelegateCaller.For(divide);

        Assert.Throws<DivideByZeroException>(() => call([1L, 0L]));
    }

    [Test]
    public void For_DelegateOtherThanFunc_CallsThroughReflectionAndUnwraps()
    {
        Comparison<int> compare = (a, b) => a == 0 ? throw new InvalidOperationException("zero") : a.CompareTo(b);

        var call = DelegateCaller.For(compare);

        Assert.That(call([1, 2]), Is.EqualTo(-1));
        Assert.Throws<InvalidOperationException>(() => call([0, 2]));
    }
}
