using System.Linq.Expressions;
using Dsl.Lowering.Intrinsics;
using Dsl.TestSupport;
using NUnit.Framework;

namespace Dsl.Lowering.Tests.Intrinsics;

/// <summary>
/// Every lowered intrinsic against the real BCL method: the C# compiler builds the call as an expression tree,
/// <see cref="IntrinsicRewriter"/> sends it through the table, and both compiled trees run on 200 generated rows
/// with edge values (NaN, ±0, extremes, null and non-ASCII strings, calendar edges); outcomes must match exactly.
/// </summary>
[TestFixture]
internal sealed partial class IntrinsicTableTests
{
    [TestCaseSource(nameof(LoweredCases))]
    public void TryLower_SupportedCall_MatchesBclOnGeneratedRows(string name, LambdaExpression original)
    {
        var (ir, rewriter) = IntrinsicRewriter.Rewrite(original);

        Assert.That(rewriter.Refusals, Is.Empty, name);
        Assert.That(rewriter.Lowered, Is.GreaterThan(0), $"{name}: nothing was lowered");
        DifferentialCheck.Run(name, original.Compile(), ir.Compile());
    }

    [TestCaseSource(nameof(RefusedCases))]
    public void TryLower_CultureOrNondeterministicCall_IsRefusedWithConstruct(string name, LambdaExpression original, string construct)
    {
        var (_, rewriter) = IntrinsicRewriter.Rewrite(original);

        Assert.That(rewriter.Refusals, Has.Some.StartsWith(construct + ":"), name);
    }

    [Test]
    public void TryLower_UnknownMethod_IsNotIntrinsic()
    {
        var method = typeof(IntrinsicTableTests).GetMethod(nameof(TryLower_UnknownMethod_IsNotIntrinsic))!;

        var answer = IntrinsicTable.TryLower(method, Expression.Constant(this), []);

        Assert.That(answer, Is.EqualTo(IntrinsicCall.NotIntrinsic));
    }

    [Test]
    public void TryLower_IsNaN_BecomesSelfInequality()
    {
        var x = Expression.Parameter(typeof(double), "x");

        var answer = IntrinsicTable.TryLower(typeof(double).GetMethod(nameof(double.IsNaN))!, null, [x]);

        Assert.That(answer.Value, Is.InstanceOf<BinaryExpression>().With.Property(nameof(BinaryExpression.NodeType)).EqualTo(ExpressionType.NotEqual));
    }

    [Test]
    public void TryLower_StackTypedArguments_AreCoercedToParameterTypes()
    {
        // The CIL evaluation stack holds a char as int32 and an enum as its underlying int.
        var s = Expression.Parameter(typeof(string), "s");
        var method = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string), typeof(StringComparison)])!;

        var answer = IntrinsicTable.TryLower(method, s, [Expression.Constant("ab"), Expression.Constant((int)StringComparison.Ordinal)]);
        var compiled = Expression.Lambda<Func<string, bool>>(answer.Value!, s).Compile();

        Assert.That(compiled("abc"), Is.True);
    }

    [Test]
    public void TryLower_NonConstantComparison_IsRefused()
    {
        var s = Expression.Parameter(typeof(string), "s");
        var comparison = Expression.Parameter(typeof(StringComparison), "comparison");
        var method = typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string), typeof(StringComparison)])!;

        var answer = IntrinsicTable.TryLower(method, s, [Expression.Constant("x"), comparison]);

        Assert.That(answer.Unsupported?.Construct, Is.EqualTo("culture"));
    }
}
