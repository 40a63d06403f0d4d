using System.Globalization;
using Dsl.Arrow;
using Dsl.Runtime;

namespace Dsl.Fuzz.Differential;

/// <summary>What one row produced: a value (null included) or an error of an exception type.</summary>
internal sealed record RowOutcome(object? Value, string? ExceptionType)
{
    public override string ToString() => ExceptionType is not null ? $"throws {ExceptionType}" : ResultComparer.Describe(Value);
}

/// <summary>
/// Exact comparison of two evaluations: floating point by bits (NaN equals NaN, +0 differs from -0), strings
/// ordinally, nullness and the failing rows' exception types. The first differing row is the mismatch.
/// </summary>
internal static class ResultComparer
{
    public static RowOutcome[] Outcomes(EvaluationResult result)
    {
        var errors = result.Errors.ToDictionary(e => e.Row);
        return Enumerable.Range(0, result.Values.Length)
            .Select(i => errors.TryGetValue(i, out var e) ? new RowOutcome(null, e.ExceptionType) : new RowOutcome(ArrowValues.Get(result.Values, i), null))
            .ToArray();
    }

    /// <summary>The first row where the outcomes differ, or null when they agree everywhere.</summary>
    public static int? FirstDifference(IReadOnlyList<RowOutcome> expected, IReadOnlyList<RowOutcome> actual)
    {
        if (expected.Count != actual.Count) return Math.Min(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i].ExceptionType != actual[i].ExceptionType || !AreEqual(expected[i].Value, actual[i].Value)) return i;
        }
        return null;
    }

    public static bool AreEqual(object? expected, object? actual) => (expected, actual) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (double d, double e) => BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(e),
        (float f, float g) => BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits(g),
        (string s, string t) => string.Equals(s, t, StringComparison.Ordinal),
        _ => expected.GetType() == actual.GetType() && expected.Equals(actual),
    };

    public static string Describe(object? value) => value switch
    {
        null => "null",
        double d => $"{d.ToString("R", CultureInfo.InvariantCulture)} (0x{BitConverter.DoubleToInt64Bits(d):X16})",
        float f => $"{f.ToString("R", CultureInfo.InvariantCulture)}f",
        string s => $"\"{s}\"",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };
}
