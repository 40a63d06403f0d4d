namespace Dsl.TestSupport;

/// <summary>
/// The values most likely to break an exact lowering, per CLR type: zero, ±1, extremes, NaN, ±Infinity, ±0,
/// midpoints for rounding, empty and non-ASCII strings, lone surrogates, calendar edges.
/// </summary>
public static class EdgeValues
{
    public static readonly double[] Doubles =
    [
        0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.1, 3.0, 10.0, 100.0, 1e-300, -1e-300, double.Epsilon, -double.Epsilon,
        double.MaxValue, double.MinValue, double.PositiveInfinity, double.NegativeInfinity, double.NaN,
        2147483647.5, -2147483648.5, 9.2233720368547758E+18, 1e16, 0.49999999999999994,
    ];

    public static readonly float[] Floats =
    [
        0f, -0f, 1f, -1f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 0.1f, 3f, 10f, 100f, float.Epsilon, -float.Epsilon,
        float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 16777217f, 1e8f,
    ];

    public static readonly decimal[] Decimals =
        [0m, 1m, -1m, 0.1m, 1.00m, 0.5m, 2.5m, -2.5m, 1e-28m, decimal.MaxValue, decimal.MinValue, 79228162514264337593543950334m];

    public static readonly long[] Longs =
        [0, 1, -1, 2, -2, 3, 7, 10, 100, -100, long.MaxValue, long.MinValue, long.MaxValue - 1, long.MinValue + 1, int.MaxValue, int.MinValue, 1L << 32];

    public static readonly int[] Ints = [0, 1, -1, 2, -2, 3, 5, 7, 9, 10, 31, 32, 33, 100, -100, int.MaxValue, int.MinValue, int.MaxValue - 1, int.MinValue + 1];

    public static readonly char[] Chars = ['a', 'Z', '0', ' ', ',', '\0', '\t', 'é', 'ß', 'İ', '\u00AD', '\uD83D', '\uFFFF', '9'];

    public static readonly string?[] Strings =
    [
        null, "", " ", "a", "A", "abc", "ABC", "a,b,c", ",", ",,", "a,,b", "  padded  ", "\t\n", "é", "e\u0301", "straße", "STRASSE",
        "İstanbul", "ıi", "\u00ADabc", "abc\u00AD", "😀", "a😀b", "\uD83D", "x\uDE00", "0", "-1", "42", "3.5", "Ünïcödé", "ǅ", "a-b_c",
        new string('z', 300),
    ];

    public static readonly DateTime[] DateTimes =
    [
        DateTime.MinValue, DateTime.MaxValue, DateTime.MaxValue.AddTicks(-1), DateTime.UnixEpoch, new(2000, 2, 29), new(1999, 12, 31, 23, 59, 59, 999),
        new(2024, 2, 29, 12, 30, 0, DateTimeKind.Utc), new(9999, 12, 31), new(1, 1, 1, 0, 0, 0, 1), new(2023, 3, 26, 2, 30, 0),
    ];

    public static readonly TimeSpan[] TimeSpans =
    [
        TimeSpan.Zero, TimeSpan.MinValue, TimeSpan.MaxValue, TimeSpan.FromTicks(1), TimeSpan.FromTicks(-1), TimeSpan.FromDays(1),
        TimeSpan.FromHours(-1.5), TimeSpan.FromMilliseconds(0.5), TimeSpan.FromDays(10675199), TimeSpan.FromDays(-3650000),
    ];

    public static readonly DateOnly[] DateOnlys = [DateOnly.MinValue, DateOnly.MaxValue, new(2000, 2, 29), new(1970, 1, 1), new(2024, 12, 31)];
}
