using Dsl.Runtime;
using Dsl.TestSupport;

namespace Dsl.Fuzz.Differential;

/// <summary>What one row produced: a value (null included) or an error of an exception type.</summary>
internal sealed record RowOutcome(object? Value, string? ExceptionType)
{
    public override string ToString() => ExceptionType is not null ? $"throws {ExceptionType}" : ResultComparer.Describe(Value);
}

/// <summary>
/// Exact comparison of two evaluations (<see cref="ExactComparer"/>: floating point by bits, +0 differs from -0,
/// every NaN equals every NaN; strings ordinally), nullness and the failing rows' exception types. The first
/// differing row is the mismatch.
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

    /// <summary>Exact equality as every differential test here defines it (<see cref="ExactComparer"/>).</summary>
    public static bool AreEqual(object? expected, object? actual) => ExactComparer.AreEqual(expected, actual);

    public static string Describe(object? value) => ExactComparer.Describe(value);
}
