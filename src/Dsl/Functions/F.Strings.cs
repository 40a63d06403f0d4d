namespace Dsl;

public static partial class F
{
    /// <summary>The string in lower case, culture-invariant.</summary>
    public static string Lower(string value) => value.ToLowerInvariant();

    /// <summary>The string in upper case, culture-invariant.</summary>
    public static string Upper(string value) => value.ToUpperInvariant();

    /// <summary>The string without leading and trailing white space.</summary>
    public static string Trim(string value) => value.Trim();

    /// <summary>The number of UTF-16 code units.</summary>
    public static int Length(string value) => value.Length;

    /// <summary>True when <paramref name="value"/> contains <paramref name="part"/> (ordinal).</summary>
    public static bool Contains(string value, string part) => value.Contains(part, StringComparison.Ordinal);

    /// <summary>True when <paramref name="value"/> starts with <paramref name="prefix"/> (ordinal).</summary>
    public static bool StartsWith(string value, string prefix) => value.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>True when <paramref name="value"/> ends with <paramref name="suffix"/> (ordinal).</summary>
    public static bool EndsWith(string value, string suffix) => value.EndsWith(suffix, StringComparison.Ordinal);

    /// <summary>The first index of <paramref name="part"/> in <paramref name="value"/> (ordinal), or -1.</summary>
    public static int IndexOf(string value, string part) => value.IndexOf(part, StringComparison.Ordinal);

    /// <summary>The first <paramref name="count"/> characters, or the whole string when shorter.</summary>
    public static string Left(string value, int count) => value.Length <= count ? value : value.Substring(0, count);

    /// <summary>The last <paramref name="count"/> characters, or the whole string when shorter.</summary>
    public static string Right(string value, int count) =>
        value.Length <= count ? value : value.Substring(value.Length - count, count);

    /// <summary><paramref name="length"/> characters from <paramref name="start"/>; out of range throws.</summary>
    public static string Substring(string value, int start, int length) => value.Substring(start, length);

    /// <summary>Every occurrence of <paramref name="oldValue"/> replaced (ordinal).</summary>
    public static string Replace(string value, string oldValue, string newValue) =>
        value.Replace(oldValue, newValue, StringComparison.Ordinal);

    /// <summary>The two strings joined; a null string counts as empty.</summary>
    public static string Concat(string? left, string? right) => string.Concat(left, right);

    /// <summary>
    /// The part at <paramref name="index"/> (from 0) of the string split at <paramref name="separator"/>
    /// (ordinal), or null when there are fewer parts.
    /// </summary>
    public static string? SplitPart(string value, string separator, int index)
    {
        var parts = value.Split(separator);
        return index < parts.Length ? parts[index] : null;
    }
}
