using System.Collections.Concurrent;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.TestSupport;

/// <summary>
/// FsCheck generators of boxed values per CLR type that mix <see cref="EdgeValues"/> (about half the time) with
/// ordinary random values. <c>T?</c> and reference types are null about one time in six; arrays are null, empty,
/// short, or long enough (40) to reach vectorized library paths. Related rows and sequence interfaces come from
/// <see cref="Relations.RelationGenerators"/>.
/// </summary>
public static class ValueGenerators
{
    private static readonly ConcurrentDictionary<Type, Gen<object?>> s_cache = new();

    /// <summary>The generator for <paramref name="type"/>.</summary>
    /// <exception cref="NotSupportedException">No generator is defined for the type.</exception>
    public static Gen<object?> For(Type type) => s_cache.GetOrAdd(type, Create);

    /// <summary>A typed generator, for tests that want <typeparamref name="T"/> rather than <see cref="object"/>.</summary>
    public static Gen<T> For<T>() => For(typeof(T)).Select(value => (T)value!);

    private static Gen<object?> Create(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying) return OrNull(For(underlying), 5);
        if (Relations.RelationGenerators.For(type) is { } related) return related;
        if (type.IsEnum) return EnumValues(type);
        if (type.IsSZArray) return Arrays(type.GetElementType()!);
        if (type == typeof(string)) return Mix(EdgeValues.Strings, RandomStrings());
        if (type == typeof(bool)) return Gen.Elements<object?>(true, false);
        if (type == typeof(double)) return Mix(EdgeValues.Doubles, Gen.OneOf(SmallDoubles(), RandomLongs().Select(BitConverter.Int64BitsToDouble)));
        if (type == typeof(float)) return Mix(EdgeValues.Floats, Gen.OneOf(SmallDoubles().Select(d => (float)d), RandomInts().Select(BitConverter.Int32BitsToSingle)));
        if (type == typeof(decimal)) return Mix(EdgeValues.Decimals, Gen.Choose(-100_000, 100_000).Select(i => i / 100m));
        if (type == typeof(int)) return Mix(EdgeValues.Ints, Gen.OneOf(Gen.Choose(-100, 100), RandomInts()));
        if (type == typeof(long)) return Mix(EdgeValues.Longs, Gen.OneOf(Gen.Choose(-100, 100).Select(i => (long)i), RandomLongs()));
        if (type == typeof(short)) return Integers(i => (short)i);
        if (type == typeof(ushort)) return Integers(i => (ushort)i);
        if (type == typeof(sbyte)) return Integers(i => (sbyte)i);
        if (type == typeof(byte)) return Integers(i => (byte)i);
        if (type == typeof(uint)) return Integers(i => unchecked((uint)i));
        if (type == typeof(ulong)) return Mix(EdgeValues.Longs.Select(l => unchecked((ulong)l)).ToArray(), RandomLongs().Select(l => unchecked((ulong)l)));
        if (type == typeof(char)) return Mix(EdgeValues.Chars, Gen.Choose(32, 126).Select(i => (char)i));
        if (type == typeof(DateTime)) return Mix(EdgeValues.DateTimes, RandomTicks(DateTime.MaxValue.Ticks).Select(t => new DateTime(t, DateTimeKind.Utc)));
        if (type == typeof(TimeSpan)) return Mix(EdgeValues.TimeSpans, RandomLongs().Select(t => new TimeSpan(t / 1000)));
        if (type == typeof(DateOnly)) return Mix(EdgeValues.DateOnlys, Gen.Choose(0, DateOnly.MaxValue.DayNumber).Select(DateOnly.FromDayNumber));
        throw new NotSupportedException($"No value generator for {type}.");
    }

    private static Gen<object?> Mix<T>(T[] edges, Gen<T> random) =>
        Gen.Frequency((1, Gen.Elements(edges)), (1, random)).Select(value => (object?)value);

    private static Gen<object?> Integers<T>(Func<int, T> narrow) =>
        Mix(EdgeValues.Ints.Select(narrow).Distinct().ToArray(), Gen.OneOf(Gen.Choose(-300, 300), RandomInts()).Select(narrow));

    private static Gen<object?> OrNull(Gen<object?> values, int weight) => Gen.Frequency((1, Gen.Constant<object?>(null)), (weight, values));

    private static Gen<int> RandomInts() => Gen.Zip(Gen.Choose(0, 0xFFFF), Gen.Choose(0, 0xFFFF), (high, low) => (high << 16) | low);

    private static Gen<long> RandomLongs() => Gen.Zip(RandomInts(), RandomInts(), (high, low) => ((long)high << 32) | (uint)low);

    private static Gen<long> RandomTicks(long max) => RandomLongs().Select(l => (long)((ulong)l % (ulong)max));

    private static Gen<double> SmallDoubles() =>
        Gen.Zip(Gen.Choose(-10_000, 10_000), Gen.Elements(1.0, 10.0, 100.0, 1000.0, 3.0), (n, d) => n / d);

    private static Gen<string?> RandomStrings()
    {
        var chars = Gen.Frequency((6, Gen.Choose(32, 126).Select(i => (char)i)), (1, Gen.Elements(EdgeValues.Chars)), (1, Gen.Elements(',', ';', ' ')));
        return Gen.Choose(0, 12).SelectMany(length => Gen.ArrayOf(chars, length)).Select(a => (string?)new string(a));
    }

    private static Gen<object?> EnumValues(Type type)
    {
        var values = Enum.GetValues(type).Cast<object>().ToList();
        var underlying = Enum.GetUnderlyingType(type);
        var undefined = Enum.ToObject(type, System.Convert.ChangeType(values.Count + 17, underlying, System.Globalization.CultureInfo.InvariantCulture));
        return Gen.Elements<object?>([.. values, undefined]);
    }

    private static Gen<object?> Arrays(Type elementType)
    {
        var element = For(elementType);
        Gen<object?> OfLength(Gen<int> lengths) => lengths.SelectMany(n => Gen.ArrayOf(element, n)).Select(items =>
        {
            var array = Array.CreateInstance(elementType, items.Length);
            for (var i = 0; i < items.Length; i++) array.SetValue(items[i], i);
            return (object?)array;
        });

        return Gen.Frequency(
            (1, Gen.Constant<object?>(null)),
            (1, Gen.Constant<object?>(Array.CreateInstance(elementType, 0))),
            (6, OfLength(Gen.Choose(1, 8))),
            (1, OfLength(Gen.Constant(40))));
    }
}
