using NUnit.Framework;

namespace Dsl.Fuzz.Differential;

/// <summary>The CI mode of the fuzzer: a few hundred generated resolvers, every path, exact agreement.</summary>
[TestFixture]
public sealed class DifferentialTests
{
    [Test]
    public void GeneratedPrograms_ThreeHundredBy256Rows_AllPathsAgree()
    {
        var session = new FuzzSession(rows: 256, seed: 20_261_121, size: 100, threads: Environment.ProcessorCount);

        session.Run(programs: 300, maxGenerated: 1_500);

        Assert.That(session.Ran, Is.GreaterThanOrEqualTo(300), $"skipped: {string.Join("; ", session.SkipReasons.Select(r => $"{r.Value}× {r.Key}"))}");
        var mismatches = session.Mismatches.Select(m => $"{m.Verdict.Mismatch}\n{m.Verdict.Program.RenderLambda()}").ToList();
        Assert.That(mismatches, Is.Empty, string.Join("\n\n", mismatches.Take(3)));
    }

    [Test]
    public void Run_OneOrThreeThreads_SameVerdictsInTheSameOrder()
    {
        var one = new FuzzSession(rows: 16, seed: 77, size: 60, threads: 1);
        var three = new FuzzSession(rows: 16, seed: 77, size: 60, threads: 3);

        var oneVerdicts = new List<string>();
        var threeVerdicts = new List<string>();

        one.Run(programs: 24, maxGenerated: 100, recorded: (index, verdict) => oneVerdicts.Add($"{index}: {verdict.Mode} {verdict.Skipped}"));
        three.Run(programs: 24, maxGenerated: 100, recorded: (index, verdict) => threeVerdicts.Add($"{index}: {verdict.Mode} {verdict.Skipped}"));

        Assert.That(threeVerdicts, Is.EqualTo(oneVerdicts));
        Assert.That(Tallies(three), Is.EqualTo(Tallies(one)));
    }

    private static string Tallies(FuzzSession session) =>
        $"ran={session.Ran} compiled={session.Compiled} skipped={session.Skipped}; " +
        string.Join(", ", session.ByConstruct.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}")) + "; " +
        string.Join(", ", session.FallbackReasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"));

    [TestCase("cannot lower a virtual call (virtual-call) at IL_0012, FuzzBatch3.cs:12:5", "virtual-call")]
    [TestCase("loops are not supported (loop)", "loop")]
    [TestCase("CIL lowering of delegates is not on main yet", "CIL lowering of delegates is not on main yet")]
    public void FallbackKey_ReasonWithConstruct_GroupsByConstruct(string reason, string expected)
    {
        Assert.That(FuzzSession.FallbackKey(reason), Is.EqualTo(expected));
    }
}
