using System.Linq.Expressions;

namespace Dsl.Bench.Codegen;

/// <summary>
/// The reference Total resolver, as C# and as the IR lowering produces for it (the discounted subtotal is one
/// shared node used by both returns; <c>.Value</c> reads sit under their null checks).
/// </summary>
internal static class ReferenceIr
{
    public static double? Total(double subtotal, double? discount, double? taxRate, bool taxable)
    {
        if (discount is not null) subtotal = Math.Max(subtotal - discount.Value, 0.0);
        if (!taxable || taxRate is null) return subtotal;
        return subtotal * (1.0 + taxRate.Value);
    }

    public static LambdaExpression Total()
    {
        var subtotal = Expression.Parameter(typeof(double), "subtotal");
        var discount = Expression.Parameter(typeof(double?), "discount");
        var taxRate = Expression.Parameter(typeof(double?), "taxRate");
        var taxable = Expression.Parameter(typeof(bool), "taxable");
        var discounted = Expression.Condition(
            Expression.Property(discount, "HasValue"),
            Expression.Call(typeof(Math), nameof(Math.Max), null,
                Expression.Subtract(subtotal, Expression.Property(discount, "Value")), Expression.Constant(0.0)),
            subtotal);
        var taxed = Expression.Multiply(discounted, Expression.Add(Expression.Constant(1.0), Expression.Property(taxRate, "Value")));
        var body = Expression.Condition(
            Expression.OrElse(Expression.Not(taxable), Expression.Not(Expression.Property(taxRate, "HasValue"))),
            Expression.Convert(discounted, typeof(double?)),
            Expression.Convert(taxed, typeof(double?)));
        return Expression.Lambda<Func<double, double?, double?, bool, double?>>(body, "Total", [subtotal, discount, taxRate, taxable]);
    }
}
