using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Dsl.TestSupport;

/// <summary>
/// Equality with no tolerance: doubles, floats and halves by bit pattern (+0 differs from -0), except that every
/// NaN equals every NaN — the JIT may swap the operands of a commutative operation, so which NaN's sign and payload
/// survive <c>NaN₁ + NaN₂</c> is not a property of the program; decimals by their bits (scale counts: 1.0 differs from 1.00), strings ordinally, arrays and tuples
/// element by element, nulls equal only to nulls, values of different types never equal.
/// </summary>
public static class ExactComparer
{
    public static bool AreEqual(object? expected, object? actual)
    {
        if (expected is null || actual is null) return expected is null && actual is null;
        if (expected.GetType() != actual.GetType()) return false;
        switch (expected)
        {
            case double d: return double.IsNaN(d) ? double.IsNaN((double)actual) : BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits((double)actual);
            case float f: return float.IsNaN(f) ? float.IsNaN((float)actual) : BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits((float)actual);
            case Half h: return Half.IsNaN(h) ? Half.IsNaN((Half)actual) : BitConverter.HalfToInt16Bits(h) == BitConverter.HalfToInt16Bits((Half)actual);
            case decimal m: return decimal.GetBits(m).AsSpan().SequenceEqual(decimal.GetBits((decimal)actual));
            case string s: return string.Equals(s, (string)actual, StringComparison.Ordinal);
            case Array a:
                var b = (Array)actual;
                if (a.Length != b.Length) return false;
                for (var i = 0; i < a.Length; i++)
                    if (!AreEqual(a.GetValue(i), b.GetValue(i))) return false;
                return true;
            case ITuple t:
                var u = (ITuple)actual;
                if (t.Length != u.Length) return false;
                for (var i = 0; i < t.Length; i++)
                    if (!AreEqual(t[i], u[i])) return false;
                return true;
            default:
                return expected.Equals(actual);
        }
    }

    /// <summary>An unambiguous rendering for failure messages: doubles round-trip with their bits, strings escaped.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        double d => $"{d.ToString("R", CultureInfo.InvariantCulture)} (0x{BitConverter.DoubleToInt64Bits(d):X16})",
        float f => $"{f.ToString("R", CultureInfo.InvariantCulture)}f (0x{BitConverter.SingleToInt32Bits(f):X8})",
        decimal m => $"{m.ToString(CultureInfo.InvariantCulture)}m",
        string s => Quote(s),
        char c => $"'{Escape(c)}'",
        DateTime t => t.ToString("o", CultureInfo.InvariantCulture),
        Array a => $"{a.GetType().GetElementType()!.Name}[] [{string.Join(", ", a.Cast<object?>().Select(Describe))}]",
        IEnumerable e when value.GetType().IsGenericType => $"{value.GetType().Name} [{string.Join(", ", e.Cast<object?>().Select(Describe))}]",
        ITuple t => $"({string.Join(", ", Enumerable.Range(0, t.Length).Select(i => Describe(t[i])))})",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? value.GetType().Name,
    };

    /// <summary>A whole argument row, for messages.</summary>
    public static string DescribeRow(IEnumerable row) => $"({string.Join(", ", row.Cast<object?>().Select(Describe))})";

    private static string Quote(string s)
    {
        var text = new StringBuilder("\"");
        foreach (var c in s.Length > 60 ? s[..60] : s) text.Append(Escape(c));
        if (s.Length > 60) text.Append($"…({s.Length} chars)");
        return text.Append('"').ToString();
    }

    private static string Escape(char c) => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString();
}
