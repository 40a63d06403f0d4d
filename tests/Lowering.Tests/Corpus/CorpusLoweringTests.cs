using Dsl.TestSupport;
using NUnit.Framework;

namespace Dsl.Lowering.Tests.Corpus;

/// <summary>
/// The differential property of the issue: every corpus function is lowered with <see cref="Lowerer"/>, its IR is
/// compiled as a plain scalar function, and both run on 200 generated rows (nulls, NaN, ±Infinity, ±0, extremes,
/// zero divisors, empty/null/non-ASCII strings, empty arrays); values, nullness and exception types must match
/// exactly. An entry either lowers or falls back with exactly the construct it lists — nothing is skipped silently.
/// </summary>
[TestFixture]
internal sealed class CorpusLoweringTests
{
    private static IEnumerable<TestCaseData> Entries() =>
        LoweringCorpus.All.Select(entry => new TestCaseData(entry).SetArgDisplayNames(entry.Name));

    [TestCaseSource(nameof(Entries))]
    public void Lower_CorpusEntry_MatchesDelegateOrFallsBackAsListed(CorpusEntry entry)
    {
        var result = Lowerer.Lower(entry.Function);

        if (entry.ExpectedFallback is { } construct)
        {
            Assert.That(result.Succeeded, Is.False, $"{entry.Name} was expected to fall back ({construct}) but lowered");
            Assert.That(result.Fallback!.Construct, Is.EqualTo(construct), result.Fallback.ToString());
            return;
        }

        Assert.That(result.Succeeded, Is.True, () => $"{entry.Name} fell back: {result.Fallback}");
        DifferentialCheck.Run(entry.Name, entry.Function, result.Ir!.Compile());
    }
}
