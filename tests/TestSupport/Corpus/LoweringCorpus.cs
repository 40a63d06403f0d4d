namespace Dsl.TestSupport.Corpus;

/// <summary>
/// Functions written as users write features, covering every construct the lowering issue lists. Each area is a
/// partial file; <see cref="All"/> is the whole corpus. Entries that must fall back say so with the construct.
/// </summary>
public static partial class LoweringCorpus
{
    /// <summary>The construct families the corpus must cover, each by at least one entry.</summary>
    public static readonly string[] Constructs =
    [
        "numeric", "nullable", "arithmetic", "comparison", "bitwise", "shift", "cast", "if-else", "early-return", "ternary",
        "switch-int", "switch-enum", "switch-string", "switch-expression", "pattern", "math", "string", "datetime", "tuple",
        "constant-loop", "array-index", "array-fold", "array-literal", "linq", "checked", "integer-division", "closure", "reference-example",
    ];

    public static IEnumerable<CorpusEntry> All =>
        Numeric().Concat(Control()).Concat(Strings()).Concat(Temporal()).Concat(Lists());

    private static CorpusEntry E(string name, string construct, Delegate function, string? fallback = null) => new(name, construct, function, fallback);
}
