using System.Collections.ObjectModel;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.TestSupport.Relations;

/// <summary>
/// Generators for related rows: <see cref="Transaction"/>s whose values mix edge values (NaN, ±0, ±Infinity, extremes,
/// nulls) with a small domain (so keys tie often), and sequences of any element type as the runtime collections a
/// relation may be passed as: <c>T[]</c>, <see cref="List{T}"/>, <see cref="ReadOnlyCollection{T}"/> and, for a plain
/// <see cref="IEnumerable{T}"/>, a sequence that is not a list. Sequences are null, empty, of one element, short, or 40
/// long; an element of a reference type is null now and then.
/// </summary>
public static class RelationGenerators
{
    private static readonly DateTime[] s_dates =
    [
        new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), new(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc), new(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc),
        new(2023, 12, 31, 23, 59, 59, DateTimeKind.Utc), DateTime.MinValue, DateTime.MaxValue,
    ];

    /// <summary>A transaction; fields are drawn independently.</summary>
    public static Gen<Transaction> Transactions { get; } =
        from id in Gen.Choose(1, 1000)
        from amount in Doubles()
        from discount in OrNull(Doubles(), 2)
        from quantity in Gen.Frequency((2, Gen.Choose(-2, 4)), (1, Gen.Elements(EdgeValues.Ints)))
        from cents in Gen.Frequency((2, Gen.Choose(-2, 4).Select(i => (long)i)), (1, Gen.Elements(EdgeValues.Longs)))
        from weight in Gen.Frequency((2, Gen.Choose(-2, 4).Select(i => (float)i)), (1, Gen.Elements(EdgeValues.Floats)))
        from price in OrNull(Gen.Frequency((2, Gen.Choose(-200, 400).Select(i => i / 100m)), (1, Gen.Elements(EdgeValues.Decimals))), 3)
        from at in Gen.Elements(s_dates)
        from merchant in Gen.Frequency((8, Gen.Elements("a", "b", "A", "", "é")), (1, Gen.Constant<string>(null!)))
        from flags in Gen.Choose(0, 3)
        select new Transaction
        {
            Id = id, UserId = 7, Amount = amount, Discount = discount, Quantity = quantity, Cents = cents, Weight = weight,
            Price = price, At = at, Merchant = merchant, Flags = flags,
        };

    /// <summary>The generator for a sequence type (<c>T[]</c>, <c>IReadOnlyList&lt;T&gt;</c>, …) or <see cref="Transaction"/>; null for other types.</summary>
    public static Gen<object?>? For(Type type)
    {
        if (type == typeof(Transaction)) return Transactions.Select(t => (object?)t);
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        var element = type.GetGenericArguments()[0];
        Func<Array, object>[] shapes = definition switch
        {
            _ when definition == typeof(List<>) => [ToList],
            _ when definition == typeof(IEnumerable<>) => [a => a, ToList, ToReadOnly, ToEnumerable],
            _ when definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(ICollection<>)
                => [a => a, a => a, ToList, ToList, ToReadOnly],
            _ => [],
        };
        if (shapes.Length == 0) return null;
        return Gen.Frequency((1, Gen.Constant<object?>(null)), (11, Items(element).SelectMany(items => Gen.Elements(shapes).Select(shape => (object?)shape(items)))));
    }

    private static Gen<Array> Items(Type element)
    {
        var values = element == typeof(Transaction)
            ? Gen.Frequency((30, Transactions.Select(t => (object?)t)), (1, Gen.Constant<object?>(null)))
            : ValueGenerators.For(element);
        Gen<Array> OfLength(Gen<int> lengths) => lengths.SelectMany(n => Gen.ArrayOf(values, n)).Select(items =>
        {
            var array = Array.CreateInstance(element, items.Length);
            for (var i = 0; i < items.Length; i++) array.SetValue(items[i], i);
            return array;
        });
        return Gen.Frequency((2, OfLength(Gen.Constant(0))), (3, OfLength(Gen.Constant(1))), (10, OfLength(Gen.Choose(2, 8))), (1, OfLength(Gen.Constant(40))));
    }

    private static Gen<double> Doubles() =>
        Gen.Frequency((2, Gen.Elements(EdgeValues.Doubles)), (3, Gen.Choose(-2, 5).Select(i => (double)i)), (1, Gen.Choose(-1000, 1000).Select(i => i / 8.0)));

    private static Gen<T?> OrNull<T>(Gen<T> values, int weight) where T : struct =>
        Gen.Frequency((1, Gen.Constant<T?>(null)), (weight, values.Select(v => (T?)v)));

    private static object ToList(Array items) => Activator.CreateInstance(typeof(List<>).MakeGenericType(items.GetType().GetElementType()!), items)!;

    private static object ToReadOnly(Array items) => Activator.CreateInstance(typeof(ReadOnlyCollection<>).MakeGenericType(items.GetType().GetElementType()!), items)!;

    private static object ToEnumerable(Array items) => Activator.CreateInstance(typeof(EnumerableOnly<>).MakeGenericType(items.GetType().GetElementType()!), items)!;
}
