namespace Dsl.Lowering.Tests.Corpus;

/// <summary>
/// One function of the lowering corpus: a name, the construct family it exercises (see <see cref="LoweringCorpus.Constructs"/>),
/// the delegate as users write it, and — only when lowering is expected to fall back — the fallback construct it must report.
/// </summary>
internal sealed record CorpusEntry(string Name, string Construct, Delegate Function, string? ExpectedFallback = null)
{
    public override string ToString() => Name;
}

/// <summary>An enum for switch and comparison entries.</summary>
internal enum Tier
{
    Bronze,
    Silver,
    Gold,
    Platinum = 10,
}
