using System.Text;

namespace Dsl.Fuzz.Differential;

/// <summary>
/// What a result becomes once written to its Arrow output column, for the reference the runtime is compared with.
/// Two limits of the output types, found by the fuzzer (2026-11-21) and kept as regression tests:
/// <list type="bullet">
/// <item>utf8 cannot hold a lone surrogate: <c>"🙂".Substring(0, 1)</c> is written as U+FFFD (UTF-8 encoding's
/// replacement), as inputs already are;</item>
/// <item>DateTime results are written as timestamp[ns], which holds 1677-09-21 to 2262-04-11 only: any other
/// DateTime (<c>default(DateTime)</c> included) makes the row fail with <see cref="OverflowException"/>.</item>
/// </list>
/// Both apply equally to the compiled and the row-by-row paths; they differ from calling the delegate directly.
/// </summary>
internal static class OutputRepresentation
{
    public static RowOutcome Of(object? value) => value switch
    {
        string s => new RowOutcome(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s)), null),
        DateTime d when !FitsTimestampNanoseconds(d) => new RowOutcome(null, typeof(OverflowException).FullName),
        _ => new RowOutcome(value, null),
    };

    private static bool FitsTimestampNanoseconds(DateTime d)
    {
        var ticks = d.Ticks - DateTime.UnixEpoch.Ticks;
        return ticks is >= long.MinValue / 100 and <= long.MaxValue / 100;
    }
}
