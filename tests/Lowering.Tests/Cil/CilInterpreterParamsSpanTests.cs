using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;

namespace Dsl.Lowering.Tests.Cil;

/// <summary>
/// <c>params ReadOnlySpan&lt;T&gt;</c> calls, which C# 13 compiles through an <c>[InlineArray]</c> struct local: string's span
/// overloads lower as their array overloads, anything else done with such a span falls back with a reason (never an internal error).
/// </summary>
[TestFixture]
public sealed class CilInterpreterParamsSpanTests
{
    [Test]
    public void Lower_JoinOfSeveralStrings_IsTheJoinOfAnArrayLiteral()
    {
        var ir = LoweringAssert.LowersExactlyOnGeneratedRows((Func<string, string, string>)((a, b) => string.Join(",", a, b)));
        Assert.That(ir, Does.Contain("string.Join(\",\", new string[] { a, b })"));
    }

    [Test]
    public void Lower_JoinWithACharSeparatorAndAConstantPart_Lowers() =>
        LoweringAssert.LowersExactlyOnGeneratedRows((Func<string, string, string>)((a, b) => string.Join('-', a, b, "x")));

    [Test]
    public void Lower_ConcatOfFiveStrings_IsTheConcatOfAnArrayLiteral()
    {
        var ir = LoweringAssert.LowersExactlyOnGeneratedRows((Func<string, string, string>)((a, b) => string.Concat(a, b, a.Trim(), b, "!")));
        Assert.That(ir, Does.Contain("string.Concat(new string[] {"));
    }

    [Test]
    public void Lower_TwoParamsSpanCallsInOneFunction_EachKeepsItsOwnParts() =>
        LoweringAssert.LowersExactlyOnGeneratedRows((Func<string, string, string>)((a, b) => string.Join("|", a, b) + string.Join("+", b, a, b)));

    [Test]
    public void Lower_ASpanOfStringsUsedOtherwise_FallsBackWithAReason()
    {
        var result = Lowerer.Lower((Func<string, string, int>)((a, b) => Count([a, b])));
        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Fallback!.Construct, Is.Not.EqualTo("internal"), () => result.Fallback.ToString());
    }

    private static int Count(ReadOnlySpan<string> parts) => parts.Length;
}
