using System.Collections.ObjectModel;

namespace Dsl.Arrow;

/// <summary>Helpers for the string-to-string custom metadata attached to fields and schemas.</summary>
internal static class Metadata
{
    /// <summary>An immutable copy of <paramref name="metadata"/>, or null when it is null or empty.</summary>
    public static IReadOnlyDictionary<string, string>? Freeze(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is null || metadata.Count == 0
            ? null
            : new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(metadata, StringComparer.Ordinal));

    /// <summary>Whether two metadata maps hold the same pairs (null and empty are equal).</summary>
    public static bool AreEqual(IReadOnlyDictionary<string, string>? left, IReadOnlyDictionary<string, string>? right)
    {
        var leftCount = left?.Count ?? 0;
        var rightCount = right?.Count ?? 0;
        if (leftCount != rightCount)
        {
            return false;
        }

        if (leftCount == 0)
        {
            return true;
        }

        foreach (var (key, value) in left!)
        {
            if (!right!.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
