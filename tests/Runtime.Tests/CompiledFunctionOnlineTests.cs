using System.Linq.Expressions;

namespace Dsl.Runtime.Tests;

public sealed class CompiledFunctionOnlineTests
{
    private static readonly Expression<Func<double, double?, double?, bool, double>> Total =
        (subtotal, discount, taxRate, taxable) =>
            (!taxable || taxRate == null)
                ? (discount != null ? Math.Max(subtotal - discount.Value, 0.0) : subtotal)
                : (discount != null ? Math.Max(subtotal - discount.Value, 0.0) : subtotal) * (1.0 + taxRate.Value);

    private static CompiledFunction Compiled() => new(Total.Compile(), Total, null, CompileOptions.Default);

    private static CompiledFunction FellBack() => new(Total.Compile(), null, "loop (test) at line 3", CompileOptions.Default, ["subtotal", "discount", "taxRate", "taxable"]);

    [Test]
    public void AsDelegate_Compiled_GivesTheFunctionsValues()
    {
        var typed = Compiled().AsDelegate<Func<double, double?, double?, bool, double>>();
        Assert.That(typed(100, 30, 0.5, true), Is.EqualTo(105.0));
        Assert.That(typed(10, 30, null, true), Is.EqualTo(0.0));
    }

    [Test]
    public void AsDelegate_FellBack_CallsTheOriginal()
    {
        var function = FellBack();
        Assert.That(function.AsDelegate<Func<double, double?, double?, bool, double>>(), Is.SameAs(function.Original));
    }

    [Test]
    public void AsDelegate_WrongSignature_ThrowsNamingBoth() =>
        Assert.That(() => Compiled().AsDelegate<Func<double, double>>(),
            Throws.ArgumentException.With.Message.Contains("(double, double?, double?, bool) → double"));

    [Test]
    public void Invoke_BothModes_AgreeWithTheDelegate([Values] bool compiled)
    {
        var function = compiled ? Compiled() : FellBack();
        Assert.That(function.Invoke(100.0, 30.0, 0.5, true), Is.EqualTo(105.0));
        Assert.That(function.Invoke(100.0, null, null, false), Is.EqualTo(100.0));
    }

    [Test]
    public void Invoke_NullForNonNullableValueParameter_ReturnsNullWithoutCalling([Values] bool compiled)
    {
        var calls = 0;
        Func<double, double> counting = x => { calls++; return x; };
        Expression<Func<double, double>> ir = x => x;
        var function = new CompiledFunction(counting, compiled ? ir : null, compiled ? null : "test", CompileOptions.Default);

        Assert.That(function.Invoke([null]), Is.Null);
        Assert.That(calls, Is.Zero);
    }

    [Test]
    public void Invoke_WrongArgumentType_ThrowsNamingTheParameter() =>
        Assert.That(() => Compiled().Invoke(1, null, null, true),
            Throws.ArgumentException.With.Message.Contains("'subtotal'").And.Message.Contains("int"));

    [Test]
    public void Invoke_WrongArgumentCount_Throws() =>
        Assert.That(() => Compiled().Invoke(1.0), Throws.ArgumentException.With.Message.Contains("4 argument"));

    [Test]
    public void Invoke_FunctionThrows_PropagatesTheSameException([Values] bool compiled)
    {
        Expression<Func<int, int, int>> divide = (a, b) => a / b;
        var function = new CompiledFunction(divide.Compile(), compiled ? divide : null, compiled ? null : "test", CompileOptions.Default);
        Assert.That(() => function.Invoke(1, 0), Throws.TypeOf<DivideByZeroException>());
    }
}
