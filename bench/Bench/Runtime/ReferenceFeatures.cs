using System.Linq.Expressions;
using Dsl.Runtime;

namespace Dsl.Bench.Runtime;

/// <summary>The reference <c>Total</c> resolver, a compute-heavy feature, and a 20-feature set over the reference columns.</summary>
internal static class ReferenceFeatures
{
    /// <summary>The reference resolver, as the user writes it.</summary>
    public static double Total(double subtotal, double? discount, double? taxRate, bool taxable)
    {
        if (discount is not null)
            subtotal = Math.Max(subtotal - discount.Value, 0.0); // a discount never makes it negative
        if (!taxable || taxRate is null)
            return subtotal;
        return subtotal * (1.0 + taxRate.Value);
    }

    /// <summary>The reference column names differ from the parameter's: <c>taxRate</c> reads <c>tax_rate</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> TotalBindings = new Dictionary<string, string> { ["taxRate"] = "tax_rate" };

    /// <summary>Compute-heavy (W4): transcendental calls per row, no nulls.</summary>
    public static double Heavy(double subtotal, double amount) =>
        Math.Clamp(Math.Log(1 + subtotal) * Math.Sqrt(amount) + Math.Exp(-amount / 100) * Math.Sin(subtotal), 0.0, 1000.0);

    /// <summary>Twenty features over the reference columns, some reading others (<c>total</c>, <c>net</c>).</summary>
    public static IEnumerable<PlannedFeature> TwentyFeatures()
    {
        var taxRate = new Dictionary<string, string> { ["taxRate"] = "tax_rate" };
        yield return Feature("total", (Func<double, double?, double?, bool, double>)Total, taxRate);
        yield return Feature("isExpensive", (Expression<Func<double, bool>>)(subtotal => subtotal > 1000));
        yield return Feature("net", (Expression<Func<double, double?, double>>)((subtotal, discount) => subtotal - (discount ?? 0)));
        yield return Feature("discountOrZero", (Expression<Func<double?, double>>)(discount => discount ?? 0));
        yield return Feature("hasDiscount", (Expression<Func<double?, bool>>)(discount => discount != null));
        yield return Feature("taxRateOrDefault", (Expression<Func<double?, double>>)(taxRate => taxRate ?? 0.2), taxRate);
        yield return Feature("tax", (Expression<Func<double, double, bool>>)((total, net) => total > net));
        yield return Feature("discountShare", (Expression<Func<double, double?, double?>>)((subtotal, discount) => discount / subtotal));
        yield return Feature("logAmount", (Expression<Func<double, double>>)(amount => Math.Log(1 + amount)));
        yield return Feature("sqrtAmount", (Expression<Func<double, double>>)(amount => Math.Sqrt(amount)));
        yield return Feature("amountOverSubtotal", (Expression<Func<double, double, double>>)((amount, subtotal) => amount / (subtotal + 1)));
        yield return Feature("bigAmount", (Expression<Func<double, bool>>)(amount => amount > 400));
        yield return Feature("taxableAndExpensive", (Expression<Func<bool, bool, bool>>)((taxable, isExpensive) => taxable && isExpensive));
        yield return Feature("roundedTotal", (Expression<Func<double, double>>)(total => Math.Round(total, 2)));
        yield return Feature("totalBucket", (Expression<Func<double, long>>)(total => (long)(total / 100)));
        yield return Feature("netOrSubtotal", (Expression<Func<double, double, double>>)((net, subtotal) => net > 0 ? net : subtotal));
        yield return Feature("clampedNet", (Expression<Func<double, double>>)(net => Math.Clamp(net, 0, 1500)));
        yield return Feature("discountedTaxable", (Expression<Func<bool, double?, bool>>)((taxable, discount) => taxable && discount != null));
        yield return Feature("score", (Expression<Func<double, double, double>>)((logAmount, sqrtAmount) => logAmount * 0.7 + sqrtAmount * 0.3));
        yield return Feature("heavy", (Func<double, double, double>)Heavy);
    }

    private static PlannedFeature Feature(string name, Delegate function, IReadOnlyDictionary<string, string>? bindings = null) =>
        new(name, FunctionCompiler.Compile(function), bindings);

    private static PlannedFeature Feature(string name, LambdaExpression function, IReadOnlyDictionary<string, string>? bindings = null) =>
        new(name, FunctionCompiler.Compile(function), bindings);
}
