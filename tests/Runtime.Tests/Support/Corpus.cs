using System.Linq.Expressions;

namespace Dsl.Runtime.Tests.Support;

/// <summary>Functions that exercise the runtime's edges: nulls, NaN, overflow, zero divisors, strings, row errors.</summary>
internal static class Corpus
{
    public static readonly Expression<Func<double, double?, double?, bool, double>> Total =
        (subtotal, discount, taxRate, taxable) =>
            (!taxable || taxRate == null)
                ? (discount != null ? Math.Max(subtotal - discount.Value, 0.0) : subtotal)
                : (discount != null ? Math.Max(subtotal - discount.Value, 0.0) : subtotal) * (1.0 + taxRate.Value);

    public static IEnumerable<TestCaseData> Functions()
    {
        yield return Case("total", Total);
        yield return Case("int-divide", (Expression<Func<int, int, int>>)((a, b) => a / b));
        yield return Case("checked-add", (Expression<Func<long, long?, long?>>)((a, b) => checked(a + b)));
        yield return Case("string-length", (Expression<Func<string, int>>)(s => s.Length));
        yield return Case("concat", (Expression<Func<string, string, string>>)((s, t) => s + "|" + t));
        yield return Case("sqrt-branch", (Expression<Func<double, double>>)(x => Math.Sqrt(x) > 1.5 ? x : -x));
        yield return Case("coalesce-negative-zero", (Expression<Func<double?, double>>)(x => x ?? -0.0));
        yield return Case("float-times-int", (Expression<Func<float, int, float>>)((f, i) => f * i));
        yield return Case("bool-logic", (Expression<Func<bool, bool?, bool>>)((b, c) => b && c == true));
        yield return Case("upper-invariant", (Expression<Func<string, string>>)(s => s.ToUpperInvariant()));
        yield return Case("nullable-value", (Expression<Func<int?, int>>)(a => a!.Value * 2));
        yield return Case("unsigned-remainder", (Expression<Func<ulong, uint, ulong>>)((a, b) => a % b));
        yield return Case("nullable-result", (Expression<Func<short, byte, double?>>)((s, b) => s > b ? null : s * 0.5));
        // char is a uint16 column, an enum its underlying integer column: as parameters and as results.
        yield return Case("char-shift", (Expression<Func<char, char?, char>>)((c, d) => d == null ? c : (char)(c + d.Value)));
        yield return Case("enum-switch", (Expression<Func<DayOfWeek, int, DayOfWeek?>>)((day, n) =>
            day == DayOfWeek.Sunday ? null : day > DayOfWeek.Saturday ? (DayOfWeek)(n / (int)day) : day + 1));
    }

    private static TestCaseData Case(string name, LambdaExpression function) => new TestCaseData(function).SetArgDisplayNames(name);
}
