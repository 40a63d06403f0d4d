namespace Dsl.Lowering.Tests.Corpus;

internal static partial class LoweringCorpus
{
    private static IEnumerable<CorpusEntry> Strings()
    {
        yield return E("string length", "string", (Func<string, int>)(s => s.Length));
        yield return E("string length null-safe", "string", (Func<string?, int>)(s => s == null ? -1 : s.Length));
        yield return E("string equality", "string", (Func<string, string, bool>)((a, b) => a == b || a != "x"));
        yield return E("concat with null as empty", "string", (Func<string?, string?, string>)((a, b) => a + "-" + b));
        yield return E("contains and starts", "string", (Func<string, bool>)(s => s.Contains("ab") || s.StartsWith("x", StringComparison.Ordinal)));
        yield return E("ends with ordinal ignore case", "string", (Func<string, bool>)(s => s.EndsWith(".COM", StringComparison.OrdinalIgnoreCase)));
        yield return E("index of char", "string", (Func<string, int>)(s => s.IndexOf(',')));
        yield return E("split part", "string", (Func<string, string>)(s => s.Split(',')[1]));
        yield return E("replace and trim", "string", (Func<string, string>)(s => s.Replace("a", "b").Trim()));
        yield return E("substring", "string", (Func<string, int, string>)((s, n) => s.Substring(0, n)));
        yield return E("invariant casing", "string", (Func<string, string>)(s => s.ToUpperInvariant() + s.ToLowerInvariant()));
        yield return E("is null or empty", "string", (Func<string?, bool>)(s => string.IsNullOrEmpty(s) || string.IsNullOrWhiteSpace(s)));
        yield return E("string.Concat", "string", (Func<string, string, string, string>)((a, b, c) => string.Concat(a, b, c)));
        yield return E("culture ToLower", "string", (Func<string, string>)(s => s.ToLower()), "culture");
        yield return E("culture StartsWith", "string", (Func<string, bool>)(s => s.StartsWith("ab")), "culture");
        yield return E("int ToString", "string", (Func<int, string>)(x => "n=" + x), "culture");
    }
}
