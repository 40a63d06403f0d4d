using Dsl.TestSupport;
using NUnit.Framework;

namespace Dsl.Lowering.Tests.Corpus;

/// <summary>The corpus itself: big enough, covering every construct, and runnable on generated rows.</summary>
[TestFixture]
internal sealed class LoweringCorpusTests
{
    [Test]
    public void All_HasAtLeastSixtyUniquelyNamedEntries()
    {
        var names = LoweringCorpus.All.Select(e => e.Name).ToList();

        Assert.That(names, Has.Count.GreaterThanOrEqualTo(60));
        Assert.That(names, Is.Unique);
    }

    [Test]
    public void All_CoversEveryConstruct()
    {
        var covered = LoweringCorpus.All.Select(e => e.Construct).Distinct().ToList();

        Assert.That(covered, Is.EquivalentTo(LoweringCorpus.Constructs));
    }

    [Test]
    public void All_MostEntriesAreExpectedToLower()
    {
        var entries = LoweringCorpus.All.ToList();

        Assert.That(entries.Count(e => e.ExpectedFallback is null), Is.GreaterThanOrEqualTo(entries.Count * 85 / 100));
    }

    [Test]
    public void All_ParameterTypesHaveRowGenerators()
    {
        foreach (var entry in LoweringCorpus.All)
            Assert.That(() => RowGenerators.For(entry.Function), Throws.Nothing, entry.Name);
    }
}
