using Apache.Arrow.Types;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.TestSupport.Columns;

/// <summary>
/// FsCheck generators of column values for differential tests: each type mixes edge values (NaN, ±Infinity,
/// ±0, extremes, zero divisors, empty and non-ASCII strings, epoch-adjacent dates) with random ones, and
/// columns mix nulls in at a generated rate (none, some, half, all).
/// </summary>
public static class ColumnValues
{
    /// <summary>The lengths SIMD code must get right: around vector widths and one long column.</summary>
    public static readonly int[] EdgeLengths = [0, 1, 3, 4, 5, 7, 8, 9, 31, 33, 1000];

    /// <summary>The CLR type a column of <paramref name="type"/> holds (non-nullable form).</summary>
    public static Type ClrTypeOf(IArrowType type) => type switch
    {
        DoubleType => typeof(double), FloatType => typeof(float), Int8Type => typeof(sbyte), Int16Type => typeof(short),
        Int32Type => typeof(int), Int64Type => typeof(long), UInt8Type => typeof(byte), UInt16Type => typeof(ushort),
        UInt32Type => typeof(uint), UInt64Type => typeof(ulong), BooleanType => typeof(bool),
        StringType or LargeStringType => typeof(string), Date32Type => typeof(DateOnly), TimestampType => typeof(DateTime),
        DurationType => typeof(TimeSpan), Decimal128Type => typeof(decimal), ListType list => ClrTypeOf(list.ValueDataType).MakeArrayType(),
        _ => throw new NotSupportedException($"No CLR type for {type}."),
    };

    /// <summary>Non-null values of a column of <paramref name="type"/>.</summary>
    public static Gen<object> Values(IArrowType type) => type switch
    {
        DoubleType => Mixed(Gen.Choose(-1000, 1000).Select(i => (object)(i / 8.0)), Gen.Elements<object>(
            0.0, -0.0, 1.0, -1.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue, double.Epsilon, 1e308, 0.1),
            Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t => (object)BitConverter.Int64BitsToDouble(((long)t.Item1 << 32) | (uint)t.Item2))),
        FloatType => Mixed(Gen.Choose(-1000, 1000).Select(i => (object)(i / 8f)), Gen.Elements<object>(0f, -0f, 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.MinValue, float.Epsilon)),
        Int8Type => Integers(v => (object)(sbyte)v, sbyte.MinValue, sbyte.MaxValue),
        Int16Type => Integers(v => (object)(short)v, short.MinValue, short.MaxValue),
        Int32Type => Integers(v => (object)(int)v, int.MinValue, int.MaxValue),
        Int64Type => Integers(v => (object)v, long.MinValue, long.MaxValue),
        UInt8Type => Integers(v => (object)(byte)v, byte.MinValue, byte.MaxValue),
        UInt16Type => Integers(v => (object)(ushort)v, ushort.MinValue, ushort.MaxValue),
        UInt32Type => Integers(v => (object)(uint)v, uint.MinValue, uint.MaxValue),
        UInt64Type => Integers(v => (object)unchecked((ulong)v), 0, long.MaxValue).Or(Gen.Constant((object)ulong.MaxValue)),
        BooleanType => Gen.Elements<object>(true, false),
        StringType or LargeStringType => Mixed(
            Gen.Elements("a", "b", "ab", "abc", "hello world", "  padded  ", "A-B-C", "x,y,z", "Straße", "ÉCOLE", "日本語", "🙂", "a🙂b", "İstanbul", "ß").Select(s => (object)s),
            Gen.Elements<object>("", " ", "\t", "0", "-", "ǅ"),
            Gen.Elements('a', 'b', 'A', ' ', '-', 'é', '日').ArrayOf().Select(chars => (object)new string(chars))),
        Date32Type => Gen.Choose(0, DateOnly.MaxValue.DayNumber).Select(d => (object)DateOnly.FromDayNumber(d))
            .Or(Gen.Elements<object>(DateOnly.MinValue, DateOnly.MaxValue, new DateOnly(1970, 1, 1), new DateOnly(1969, 12, 31))),
        TimestampType timestamp => Gen.Choose(-2_000_000, 2_000_000).Two().Select(t => (object)Aligned(
            new DateTime(DateTime.UnixEpoch.Ticks + (long)t.Item1 * TimeSpan.TicksPerHour + (long)t.Item2 * 977_777, DateTimeKind.Utc), timestamp.Unit)),
        DurationType duration => Gen.Choose(-2_000_000, 2_000_000).Two().Select(t => (object)new TimeSpan(AlignTicks((long)t.Item1 * TimeSpan.TicksPerMinute + t.Item2 * 977L, duration.Unit))),
        Decimal128Type decimalType => DecimalColumnValues.Values(decimalType),
        ListType list => Values(list.ValueDataType).ArrayOf().Resize(6).Select(items => (object)ToTyped(list.ValueDataType, items)),
        _ => throw new NotSupportedException($"No generator for {type}."),
    };

    /// <summary>A column of <paramref name="length"/> values with nulls at a generated rate.</summary>
    public static Gen<object?[]> Column(IArrowType type, int length) =>
        Gen.Elements(0, 0, 10, 50, 100).SelectMany(nullPercent =>
            Gen.Frequency((100 - nullPercent, Values(type).Select(v => (object?)v)), (nullPercent, Gen.Constant((object?)null)))
                .ArrayOf(length));

    private static Gen<object> Mixed(Gen<object> common, Gen<object> edges, Gen<object>? wild = null) =>
        Gen.Frequency((5, common), (3, edges), (wild is null ? 0 : 2, wild ?? edges));

    private static Gen<object> Integers(Func<long, object> make, long min, long max) =>
        Gen.Frequency(
            (5, Gen.Choose(-100, 100).Select(v => make(Math.Clamp(v, min, max)))),
            (3, Gen.Elements(min, max, 0L, 1L, Math.Max(min, -1L), min + 1, max - 1).Select(make)),
            (2, Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t => make(Wrap(((long)t.Item1 << 32) | (uint)t.Item2, min, max)))));

    private static long Wrap(long value, long min, long max) =>
        max - min == long.MaxValue ? (value & long.MaxValue) : min == long.MinValue ? value : min + (long)((ulong)value % (ulong)(max - min + 1));

    private static DateTime Aligned(DateTime value, TimeUnit unit) => new(AlignTicks(value.Ticks - DateTime.UnixEpoch.Ticks, unit) + DateTime.UnixEpoch.Ticks, DateTimeKind.Utc);

    private static long AlignTicks(long ticks, TimeUnit unit)
    {
        long per = unit switch { TimeUnit.Second => TimeSpan.TicksPerSecond, TimeUnit.Millisecond => TimeSpan.TicksPerMillisecond, TimeUnit.Microsecond => 10, _ => 1 };
        return ticks - ticks % per;
    }

    private static System.Array ToTyped(IArrowType itemType, object[] items)
    {
        var array = System.Array.CreateInstance(ClrTypeOf(itemType), items.Length);
        for (int i = 0; i < items.Length; i++) array.SetValue(items[i], i);
        return array;
    }
}
