using System.Globalization;

namespace Dsl.TestSupport.Relations;

/// <summary>
/// A related row for relation tests: the has-many side of a user's transactions. Auto-properties of every type an
/// aggregate reads (double, nullable double, int, long, float, decimal, DateTime, string), one public field, and one
/// computed property. Equality is by reference, so a test sees which row an aggregate chose, not just an equal one.
/// </summary>
public sealed class Transaction
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public double Amount { get; set; }

    public double? Discount { get; set; }

    public int Quantity { get; set; }

    public long Cents { get; set; }

    public float Weight { get; set; }

    public decimal? Price { get; set; }

    public DateTime At { get; set; }

    /// <summary>A nullable time (a relation may take it as its event time: a row whose event time is null is never visible).</summary>
    public DateTime? SettledAt { get; set; }

    public string Merchant { get; set; } = "";

    /// <summary>A public field (read as <c>Expression.Field</c>).</summary>
    public int Flags;

    /// <summary>A computed property: its getter is inlined, reading the auto-properties it uses.</summary>
    public double Net => Amount - (Discount ?? 0.0);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"#{Id}(Amount={Amount:R}, Discount={Discount?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}, Quantity={Quantity}, Cents={Cents}, Weight={Weight:R}, Price={Price}, At={At:O}, SettledAt={SettledAt?.ToString("O", CultureInfo.InvariantCulture) ?? "null"}, Merchant={Merchant ?? "null"}, Flags={Flags})");
}

/// <summary>A sequence that is only an <see cref="IEnumerable{T}"/> (no list, no count): LINQ enumerates it.</summary>
public sealed class EnumerableOnly<T>(T[] items) : IEnumerable<T>
{
    public IEnumerator<T> GetEnumerator()
    {
        foreach (var item in items) yield return item;
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"EnumerableOnly[{string.Join(", ", items)}]";
}
