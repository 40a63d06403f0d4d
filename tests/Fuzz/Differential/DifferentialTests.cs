using NUnit.Framework;

namespace Dsl.Fuzz.Differential;

/// <summary>The CI mode of the fuzzer: a few hundred generated resolvers, every path, exact agreement.</summary>
[TestFixture]
public sealed class DifferentialTests
{
    [Test]
    public void GeneratedPrograms_ThreeHundredBy256Rows_AllPathsAgree()
    {
        var session = new FuzzSession(rows: 256, seed: 20_261_121, size: 100);

        session.Run(programs: 300, maxGenerated: 1_500);

        Assert.That(session.Ran, Is.GreaterThanOrEqualTo(300), $"skipped: {string.Join("; ", session.SkipReasons.Select(r => $"{r.Value}× {r.Key}"))}");
        var mismatches = session.Mismatches.Select(m => $"{m.Verdict.Mismatch}\n{m.Verdict.Program.RenderLambda()}").ToList();
        Assert.That(mismatches, Is.Empty, string.Join("\n\n", mismatches.Take(3)));
    }

    [TestCase("cannot lower a virtual call (virtual-call) at IL_0012, FuzzBatch3.cs:12:5", "virtual-call")]
    [TestCase("loops are not supported (loop)", "loop")]
    [TestCase("CIL lowering of delegates is not on main yet", "CIL lowering of delegates is not on main yet")]
    public void FallbackKey_ReasonWithConstruct_GroupsByConstruct(string reason, string expected)
    {
        Assert.That(FuzzSession.FallbackKey(reason), Is.EqualTo(expected));
    }
}
