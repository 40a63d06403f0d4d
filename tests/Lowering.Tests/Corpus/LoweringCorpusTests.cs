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
    public void All_CoversEveryConstructWithAnEntryThatLowers()
    {
        var lowering = LoweringCorpus.All.Where(e => e.ExpectedFallback is null).Select(e => e.Construct).ToHashSet();

        Assert.That(LoweringCorpus.Constructs, Is.SubsetOf(lowering));
        Assert.That(LoweringCorpus.All.Select(e => e.Construct).Distinct(), Is.SubsetOf(LoweringCorpus.Constructs));
    }

    [Test]
    public void All_ParameterTypesHaveRowGenerators()
    {
        foreach (var entry in LoweringCorpus.All)
            Assert.That(() => RowGenerators.For(entry.Function), Throws.Nothing, entry.Name);
    }
}
