using System.Globalization;

namespace Dsl.Fuzz.Generation;

public sealed partial class ProgramGenerator
{
    private static readonly string[] s_doubles =
    [
        "0.0", "-0.0", "1.0", "-1.0", "0.5", "2.0", "3.25", "10.0", "100.0", "1000.0", "-7.5", "1E-300", "1E+300",
        "double.MaxValue", "double.MinValue", "double.Epsilon", "double.NaN", "double.PositiveInfinity", "double.NegativeInfinity",
    ];

    private static readonly string[] s_floats =
        ["0f", "-0f", "1f", "-1f", "0.5f", "2.5f", "100f", "float.MaxValue", "float.NaN", "float.PositiveInfinity", "float.Epsilon"];

    private static readonly string[] s_ints = ["0", "1", "-1", "2", "3", "7", "10", "100", "-100", "int.MaxValue", "int.MinValue"];

    private static readonly string[] s_longs = ["0L", "1L", "-1L", "2L", "3L", "10L", "1000L", "-1000L", "long.MaxValue", "long.MinValue", "4294967296L"];

    private static readonly string[] s_strings =
        ["\"\"", "\"a\"", "\"abc\"", "\"A.b+c@gmail.com\"", "\"@\"", "\" pad \"", "\"Été\"", "\"日本\"", "\"x.y\"", "\"ABC\""];

    private static readonly string[] s_dates =
    [
        "new DateTime(2024, 2, 29, 12, 30, 0, DateTimeKind.Utc)", "new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)",
        "new DateTime(2030, 12, 31, 23, 59, 59, DateTimeKind.Utc)",
    ];

    /// <summary>A literal of the type: boundary values (NaN, ±∞, ±0, MinValue…) as often as ordinary ones.</summary>
    private Expr Literal(FuzzType type)
    {
        if (type.Nullable && Chance(0.5)) return new Literal(type, $"(({type.CSharp})null)", Constant: false, Construct.NullableLiteral);
        var t = type.Underlying;
        Expr value = t.Base switch
        {
            BaseType.Double => Chance(0.3) ? Number(t, $"{_random.Next(-50, 200)}.0") : Number(t, Pick(s_doubles)),
            BaseType.Float => Number(t, Pick(s_floats)),
            BaseType.Int => Chance(0.4) ? Number(t, _random.Next(-20, 50).ToString(CultureInfo.InvariantCulture)) : Number(t, Pick(s_ints)),
            BaseType.Long => Number(t, Pick(s_longs)),
            BaseType.Bool => new Literal(t, Chance(0.5) ? "true" : "false", Constant: true),
            BaseType.String => new Literal(t, Pick(s_strings), Constant: true),
            BaseType.DateTime => new Literal(t, Pick(s_dates), Constant: false),
            BaseType.DoubleArray => new Literal(t, Pick(["(new double[0])", "(new double[] { 1.5, -2.0, double.NaN })", "(new double[] { 3.0 })"]), Constant: false),
            BaseType.LongArray => new Literal(t, Pick(["(new long[0])", "(new long[] { 1L, -2L, long.MaxValue })", "(new long[] { 7L })"]), Constant: false),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        return type.Nullable ? new Op(type, Construct.Conversion, $"(({type.CSharp}){{0}})", [value]) : value;
    }

    /// <summary>Numeric literal; negative ones are parenthesised so <c>x - -1</c> never becomes <c>x--1</c>.</summary>
    private static Literal Number(FuzzType type, string text) =>
        new(type, text.StartsWith('-') ? $"({text})" : text, Constant: true);

    /// <summary>Distinct constant labels for switch sections and constant patterns.</summary>
    private Literal[] DistinctLiterals(FuzzType type, int count)
    {
        var pool = type.Base switch
        {
            BaseType.Int => Enumerable.Range(-3, 12).Select(i => i.ToString(CultureInfo.InvariantCulture)),
            BaseType.Long => Enumerable.Range(-3, 12).Select(i => $"{i}L"),
            BaseType.String => s_strings,
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        return pool.OrderBy(_ => _random.Next()).Take(count).Select(text => Number(type, text)).ToArray();
    }

    /// <summary>Ascending thresholds for relational patterns: strictly increasing, at least 2 apart for integers.</summary>
    private string[] Thresholds(FuzzType type, int count)
    {
        var values = new List<int>();
        var next = _random.Next(-10, 10);
        for (var i = 0; i < count; i++)
        {
            values.Add(next);
            next += 2 + _random.Next(20);
        }
        return values.Select(v => type.Base switch
        {
            BaseType.Double => $"{v}.5",
            BaseType.Float => $"{v}.5f",
            BaseType.Long => $"{v}L",
            _ => v.ToString(CultureInfo.InvariantCulture),
        }).ToArray();
    }
}
