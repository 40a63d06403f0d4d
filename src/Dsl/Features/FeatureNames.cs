namespace Dsl.Features;

/// <summary>
/// Matches a name written by a user (a string expression's identifier, a resolver's parameter) to a
/// feature name: exact first, then case-insensitive, then ignoring underscores and case, so
/// <c>taxRate</c>, <c>tax_rate</c> and <c>TaxRate</c> all find <c>TaxRate</c>.
/// </summary>
internal static class FeatureNames
{
    /// <summary>The name without underscores, lower-cased invariantly: the key of the tolerant match.</summary>
    public static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>
    /// The outcome of matching <paramref name="name"/> against <paramref name="candidates"/>: the match, or
    /// null with <paramref name="ambiguous"/> listing the names that tie at the first level that matched.
    /// </summary>
    public static string? Find(string name, IEnumerable<string> candidates, out IReadOnlyList<string> ambiguous)
    {
        var all = candidates as IReadOnlyCollection<string> ?? candidates.ToList();
        ambiguous = [];
        foreach (var level in new Func<string, bool>[]
                 {
                     c => string.Equals(c, name, StringComparison.Ordinal),
                     c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase),
                     c => Normalize(c) == Normalize(name),
                 })
        {
            var matches = all.Where(level).ToList();
            if (matches.Count == 1) return matches[0];
            if (matches.Count > 1)
            {
                ambiguous = matches;
                return null;
            }
        }
        return null;
    }

    /// <summary>The candidate closest to <paramref name="name"/> within two edits, for "did you mean" hints.</summary>
    public static string? Suggest(string name, IEnumerable<string> candidates)
    {
        var key = Normalize(name);
        return candidates
            .Select(c => (Name: c, Distance: EditDistance(key, Normalize(c))))
            .Where(c => c.Distance <= Math.Max(1, Math.Min(2, key.Length / 3)))
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
