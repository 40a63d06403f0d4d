using System.Globalization;
using System.Reflection;

namespace Dsl.Runtime.Tests.Support;

/// <summary>What calling a function on one row did: returned a value (possibly null) or threw an exception type.</summary>
internal sealed record Outcome(object? Value, string? ExceptionType)
{
    public bool Threw => ExceptionType is not null;

    /// <summary>Calls <paramref name="function"/> with <paramref name="args"/> and records what happened.</summary>
    public static Outcome Of(Delegate function, object?[] args)
    {
        try
        {
            return new Outcome(function.DynamicInvoke(args), null);
        }
        catch (TargetInvocationException wrapped) when (wrapped.InnerException is { } thrown)
        {
            return new Outcome(null, thrown.GetType().FullName);
        }
    }
}

/// <summary>Equality with no tolerance: floating point by bits (NaN equals NaN, +0 differs from -0), strings ordinally.</summary>
internal static class Exact
{
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

    public static string DescribeRow(IEnumerable<object?> row) => $"({string.Join(", ", row.Select(Describe))})";
}
