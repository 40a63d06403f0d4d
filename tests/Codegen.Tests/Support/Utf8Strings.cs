using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Codegen.Tests.Support;

/// <summary>
/// Strings that stress UTF-8 string kernels: empty, ASCII, every kind of .NET white space (incl. U+00A0,
/// U+2000–U+200A, U+3000, and look-alikes that are not white space), casing specials (Turkish İ/ı, ß, long s ſ, the Kelvin sign, Greek
/// sigmas, titlecase ǅ, a supplementary-plane letter with case, ligatures), emoji (surrogate pairs), and
/// separators at the start, the end and repeated.
/// </summary>
internal static class Utf8Strings
{
    /// <summary>The pieces random strings are made of.</summary>
    public static readonly string[] Pieces =
    [
        "a", "B", "z", "Z", "0", ".", "+", "@", "-", ",", " ", "\t", "\n", "\r", "\v", "\f", "\u0085", "\u00A0", "\u1680", "\u2000", "\u2005",
        "\u200A", "\u2028", "\u2029", "\u202F", "\u205F", "\u3000", "\u180E", "\u200B", "\uFEFF", "ß", "İ", "ı", "i", "I", "Σ", "σ", "ς",
        "é", "É", "ÿ", "Ÿ", "日", "🙂", "𐐀", "𐐨", "ǅ", "ǆ", "ﬀ", "ẞ", "Ω", "K", "\u212A", "ſ", "\uFFFD", "gmail.com", "@gmail.com", "ab",
    ];

    /// <summary>Fixed strings every run checks.</summary>
    public static readonly string[] Edges =
    [
        "", " ", "@", "@@", "a@", "@a", "a@@b", "++", ".", "..", "+@", "a.b+c@gmail.com", "A.B+C@GMAIL.COM", "john.doe+news@gmail.com",
        "x@gmail.com", "\u00A0x\u3000", " \t\u2000\u200A ", "🙂@🙂", "İstanbul", "ΣΑΣ ΟΔΟΣ", "STRASSE ß", "ǅemal", "𐐀𐐨",
    ];

    /// <summary>One random string of up to eight pieces.</summary>
    public static Gen<string> Random { get; } =
        Gen.Elements(Pieces).ArrayOf().Resize(8).Select(parts => string.Concat(parts));

    /// <summary>A value of a string column: an edge, a random string, or (at <paramref name="nullPercent"/>) null.</summary>
    public static Gen<object?> Value(int nullPercent) =>
        Gen.Frequency(
            (nullPercent, Gen.Constant((object?)null)),
            (100 - nullPercent, Gen.Frequency((1, Gen.Elements(Edges)), (3, Random)).Select(s => (object?)s)));

    /// <summary>A column of <paramref name="length"/> strings with about <paramref name="nullPercent"/>% nulls.</summary>
    public static object?[] Column(int length, int nullPercent, int seed) =>
        Gen.Sample(Value(nullPercent).ArrayOf(length), 10, new Rnd((ulong)seed + 1), 1)[0];

    /// <summary>Edge strings and <paramref name="count"/> random ones.</summary>
    public static string[] Sample(int count, int seed) =>
        [.. Edges, .. Gen.Sample(Random, 10, new Rnd((ulong)seed + 7), count)];
}
