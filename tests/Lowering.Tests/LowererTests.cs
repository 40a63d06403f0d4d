using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;
using Dsl.TestSupport;
using Dsl.TestSupport.Roslyn;

namespace Dsl.Lowering.Tests;

[TestFixture]
public sealed class LowererTests
{
    [Test]
    public void Lower_ChainOfLocalsEachUsedTwice_LowersExactlyToADagLinearInTheChain()
    {
        var function = CSharpLambda.Compile("Func<double, double>", DeepSharing.CSharpLambda(), optimize: true).Function;

        var ir = DeepSharing.FinishesInTime(() => LoweringAssert.LowersExactly(function));

        Assert.That(IrMetrics.CountDistinctNodes(ir.Body), Is.LessThan(5 * DeepSharing.Depth));
    }

    [Test]
    public void Lower_NestedBranchesBothReadingTheLevelBelow_FallsBackAsIrTooLargeInTime()
    {
        var lambda = new System.Text.StringBuilder("(int x0, int d, int q) =>\n{\n");
        for (var level = 1; level <= DeepSharing.Depth; level++)
            lambda.Append($"    var x{level} = q > {level} ? x{level - 1} / d : x{level - 1} % d;\n");
        var function = CSharpLambda.Compile("Func<int, int, int, int>", lambda.Append($"    return x{DeepSharing.Depth};\n}}").ToString(), optimize: true).Function;

        DeepSharing.FinishesInTime(() => LoweringAssert.FallsBack(function, "ir-too-large"));
    }

    [Test]
    public void Lower_ExpressionTreeSharingEachLevel_LowersExactlyToADagLinearInTheChain()
    {
        var lambda = DeepSharing.Lambda();

        var result = DeepSharing.FinishesInTime(() => Lowerer.Lower(lambda));

        Assert.That(result.Succeeded, Is.True, () => $"fell back: {result.Fallback}");
        Assert.That(IrMetrics.CountDistinctNodes(result.Ir!.Body), Is.LessThan(5 * DeepSharing.Depth));
        ScalarDifferential.AssertEquivalent(DeepSharing.Evaluate, result.Ir!);
    }

    /// <summary>
    /// Program 9554 of <c>Dsl.Fuzz --programs 100000 --seed 42</c>: two unrolled nested loops (16 rounds) each read
    /// <c>p1</c> twice, so its IR shares every round's value twice; constant folding walked it as a tree and
    /// hung, then the effect log's walk of both arms of every branch did.
    /// </summary>
    [Test]
    public void Lower_FuzzProgram9554NestedLoopsSharingEachRound_LowersOrFallsBackInTime()
    {
        const string lambda = """
            (double p0, long p1, string p2, bool p3, string p4) =>
            {
                checked
                {
                    p3 = p3;
                }
                for (int i0 = 0; i0 < 4; i0++)
                {
                    p0 = (Math.Tan(Math.Atan2(1E+300, p0)) % (((double)p1) % ((double?)p0).Value));
                    checked
                    {
                        for (int i1 = 0; i1 < 4; i1++)
                        {
                            p1 = Math.Clamp(((new DateTime(2024, 2, 29, 12, 30, 0, DateTimeKind.Utc) < new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)) ? p1 : (p3 ? p1 : ((long)i0))), 0, 1000);
                            p1 = (Math.Abs(Math.Clamp(p1, -5, 10)) - ((long)((float)p1)));
                        }
                    }
                }
                if (((((float?)((float)p0)) * (p3 ? ((float)p1) : ((float)p1))) != null))
                {
                    if ((((p3 ^ p3) ? (p1 + p1) : p1) is not (>= -7L)))
                    {
                        return (p4.Length is 1);
                    }
                    p2 = (string.Concat("ABC", "") + "ABC").Substring(Math.Min(checked(p2.Length + 35), (string.Concat("ABC", "") + "ABC").Length)).Substring(Math.Min((((int?)null) switch { 6 => p2.IndexOf('.'), _ => new DateTime(2030, 12, 31, 23, 59, 59, DateTimeKind.Utc).Month }), (string.Concat("ABC", "") + "ABC").Substring(Math.Min(checked(p2.Length + 35), (string.Concat("ABC", "") + "ABC").Length)).Length));
                }
                else
                {
                    if (((((float?)null) ?? ((float?)null)) ?? ((float?)(-0f))).HasValue)
                    {
                        p3 = (((((double?)p0) ?? ((double?)p0)) == ((double?)p0)) ? double.IsNaN((p0 % p0)) : ((bool?)null).GetValueOrDefault());
                        double v2 = (Math.Log(1.0 + Math.Clamp(((double)((int)p1)), -1.0, 100.0)) * Math.Sqrt((Math.Clamp(p0, -1.0, 1.0) + p0)));
                    }
                    else
                    {
                        double? v3 = (((p3 ? ((double?)p0) : ((double?)p0)) % (1E-300 % p0)) + ((p3 ? ((double?)null) : ((double?)p0)) - ((double?)p0)));
                    }
                }
                bool v4 = (1f != (MathF.Sqrt(((float)p1)) - (((float)p0) - ((float)p0))));
                return ((((bool?)p3) & p3) ?? (((bool?)true) & v4)).GetValueOrDefault();
            }
            """;
        var function = CSharpLambda.Compile("Func<double, long, string, bool, string, bool>", lambda, optimize: true).Function;

        var result = DeepSharing.FinishesInTime(() => Lowerer.Lower(function));

        if (result.Succeeded) ScalarDifferential.AssertEquivalent(function, result.Ir!);
        else Assert.That(result.Fallback!.Construct, Is.EqualTo("ir-too-large"), () => result.Fallback.ToString());
    }
}
