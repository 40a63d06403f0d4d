using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.TestSupport;

namespace Dsl.Lowering.Tests.Support;

/// <summary>
/// Assertions for functions over related rows: lowering succeeds, and on generated rows (lists of transactions as
/// arrays, lists, read-only collections and plain enumerables; null, empty, one, many and 40 elements; NaN, ±0,
/// ±Infinity, extremes, nulls, tied keys) the scalar-compiled IR matches the function: values bit for bit, the same
/// row chosen, nulls, and exception types.
/// </summary>
internal static class RelationAssert
{
    public const int Rows = 300;

    /// <summary>Lowers a delegate (the CIL front end) and checks it on generated rows; returns the printed IR.</summary>
    public static string LowersExactly(Delegate function, int rows = Rows)
    {
        var result = Lowerer.Lower(function);
        return Check(result, function, rows);
    }

    /// <summary>Lowers an expression (the expression front end) and checks it against the compiled expression.</summary>
    public static string LowersExactly(LambdaExpression expression, int rows = Rows)
    {
        var result = Lowerer.Lower(expression);
        return Check(result, expression.Compile(), rows);
    }

    /// <summary>The IR of <paramref name="expression"/>, which must lower.</summary>
    public static LambdaExpression Ir(LambdaExpression expression)
    {
        var result = Lowerer.Lower(expression);
        Assert.That(result.Succeeded, Is.True, () => $"fell back: {result.Fallback}");
        return result.Ir!;
    }

    private static string Check(LoweringResult result, Delegate reference, int rows)
    {
        Assert.That(result.Succeeded, Is.True, () => $"fell back: {result.Fallback}");
        var text = IrPrinter.Print(result.Ir!);
        TestContext.Out.WriteLine(text);
        DifferentialCheck.Run(TestContext.CurrentContext.Test.Name, reference, ScalarCompiler.Compile(result.Ir!), rows);
        return text;
    }
}
