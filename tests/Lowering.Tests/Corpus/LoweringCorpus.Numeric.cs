namespace Dsl.Lowering.Tests.Corpus;

internal static partial class LoweringCorpus
{
    private static IEnumerable<CorpusEntry> Numeric()
    {
        // The reference example of the issue.
        yield return E("resolver", "reference-example", (Func<double, double?, double?, bool, double>)((subtotal, discount, taxRate, taxable) =>
        {
            if (discount is not null)
                subtotal = Math.Max(subtotal - discount.Value, 0.0);
            if (!taxable || taxRate is null)
                return subtotal;
            return subtotal * (1.0 + taxRate.Value);
        }));

        yield return E("double arithmetic", "arithmetic", (Func<double, double, double>)((a, b) => (a + b) * (a - b) / (b == 0 ? 1 : b)));
        yield return E("float arithmetic", "numeric", (Func<float, float, float>)((a, b) => a * 0.5f + b % 3f));
        yield return E("int wraparound", "arithmetic", (Func<int, int, int>)((a, b) => a * b + a - b));
        yield return E("long arithmetic", "numeric", (Func<long, long, long>)((a, b) => a * 3 - b * 7 + (a ^ b)));
        yield return E("short and byte widen", "numeric", (Func<short, byte, int>)((s, b) => s * b + s - b));
        yield return E("unsigned arithmetic", "numeric", (Func<uint, ulong, ulong>)((u, v) => u * 2u + v / 3));
        yield return E("decimal arithmetic", "numeric", (Func<decimal, decimal, decimal>)((a, b) => a * 1.5m + b));
        yield return E("sbyte and ushort", "numeric", (Func<sbyte, ushort, int>)((a, b) => -a + b));
        yield return E("char arithmetic", "numeric", (Func<char, int>)(c => c - 'a'));
        yield return E("integer division", "integer-division", (Func<int, int, int>)((a, b) => a / b));
        yield return E("integer remainder", "integer-division", (Func<long, long, long>)((a, b) => a % b));
        yield return E("guarded division", "integer-division", (Func<int, int, int>)((a, b) => b == 0 ? 0 : a / b));
        yield return E("double modulo", "arithmetic", (Func<double, double, double>)((a, b) => a % b));
        yield return E("comparisons", "comparison", (Func<double, double, bool>)((a, b) => a < b || a >= b * 2 || a == b));
        yield return E("NaN comparison negation", "comparison", (Func<double, double, bool>)((a, b) => !(a < b)));
        yield return E("bitwise", "bitwise", (Func<int, int, int>)((a, b) => (a & b) | (a ^ ~b)));
        yield return E("bool logic", "bitwise", (Func<bool, bool, bool, bool>)((a, b, c) => (a & b) | (c ^ a) && !b));
        yield return E("shifts", "shift", (Func<int, int, int>)((a, n) => (a << n) ^ (a >> (n & 7))));
        yield return E("unsigned shift", "shift", (Func<long, int, long>)((a, n) => (a >>> n) + (a << 3)));
        yield return E("casts", "cast", (Func<double, int>)(x => (int)x + (int)(long)(x * 2)));
        yield return E("narrowing casts", "cast", (Func<long, short>)(x => (short)(byte)x));
        yield return E("float to double", "cast", (Func<float, long, double>)((f, l) => f + (double)l));
        yield return E("checked add", "checked", (Func<int, int, int>)((a, b) => checked(a + b)));
        yield return E("checked cast", "checked", (Func<double, int>)(x => checked((int)x)));
        yield return E("checked block", "checked", (Func<long, long, long>)((a, b) =>
        {
            checked
            {
                var product = a * b;
                return product - a;
            }
        }));

        yield return E("nullable lifted arithmetic", "nullable", (Func<int?, int?, int?>)((a, b) => a + b * 2));
        yield return E("nullable comparison", "nullable", (Func<double?, double, bool>)((a, b) => a > b));
        yield return E("nullable coalesce", "nullable", (Func<long?, long?, long>)((a, b) => a ?? b ?? -1));
        yield return E("nullable HasValue", "nullable", (Func<double?, double>)(a => a.HasValue ? a.Value * 2 : 0));
        yield return E("nullable GetValueOrDefault", "nullable", (Func<int?, int>)(a => a.GetValueOrDefault() + a.GetValueOrDefault(7)));
        yield return E("nullable Value on null", "nullable", (Func<float?, float>)(a => a!.Value + 1));
        yield return E("nullable bool", "nullable", (Func<bool?, bool>)(b => b == true));
        yield return E("nullable decimal", "nullable", (Func<decimal?, decimal?>)(m => m * 2));

        yield return E("Math functions", "math", (Func<double, double>)(x => Math.Sqrt(Math.Abs(x)) + Math.Floor(x) - Math.Round(x)));
        yield return E("Math.Round to even", "math", (Func<double, double>)(x => Math.Round(x * 10) / 10));
        yield return E("Math.Abs overflow", "math", (Func<int, int>)(x => Math.Abs(x)));
        yield return E("Math.Sign of NaN", "math", (Func<double, int>)(x => Math.Sign(x)));
        yield return E("Math.Clamp", "math", (Func<double, double, double>)((x, hi) => Math.Clamp(x, 0, hi)));
        yield return E("MathF", "math", (Func<float, float>)(x => MathF.Max(x, 0f) + MathF.Log(x)));
        yield return E("IsNaN helpers", "math", (Func<double, int>)(x => double.IsNaN(x) ? 0 : double.IsInfinity(x) ? 1 : 2));
        yield return E("Pow and Log", "math", (Func<double, double, double>)((x, y) => Math.Pow(x, y) + Math.Log10(Math.Abs(y) + 1)));
        yield return E("Convert.ToInt32 rounding", "math", (Func<double, int>)(x => Convert.ToInt32(x)));
    }
}
