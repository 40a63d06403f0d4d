namespace Dsl.Samples;

/// <summary>
/// The features of <see cref="Transaction"/>, one defined each way: an <c>_</c> expression
/// (<see cref="Transaction.IsExpensive"/>), resolvers (<see cref="Transaction.Total"/>,
/// <see cref="Transaction.EmailUsername"/>) and a string expression that reads another computed feature
/// (<see cref="Transaction.LargeTaxableTotal"/>).
/// </summary>
public sealed class TransactionFeatures : FeatureSet<Transaction>
{
    /// <inheritdoc />
    protected override void Define(FeatureSetBuilder<Transaction> features) => features
        .Define(t => t.IsExpensive, _ => _.Subtotal > 1000)
        .Resolve(t => t.Total, Total)
        .Resolve(t => t.EmailUsername, EmailUsername)
        .Define(t => t.LargeTaxableTotal, "total > 1000 && taxable");

    /// <summary>The subtotal after the discount (never below zero), with tax added when taxable and the rate is known.</summary>
    public static double Total(double subtotal, double? discount, double? taxRate, bool taxable)
    {
        if (discount is not null) subtotal = Math.Max(subtotal - discount.Value, 0.0);
        if (!taxable || taxRate is null) return subtotal;
        return subtotal * (1.0 + taxRate.Value);
    }

    /// <summary>
    /// The part before '@', lower-cased invariantly; for gmail addresses without the <c>+tag</c> and the dots
    /// (gmail ignores both), so <c>Ann.Lee+shop@Gmail.com</c> gives <c>annlee</c>.
    /// </summary>
    public static string EmailUsername(string email)
    {
        var username = email.Split('@')[0];
        if (email.EndsWith("@gmail.com", StringComparison.OrdinalIgnoreCase))
        {
            var plus = username.IndexOf('+', StringComparison.Ordinal);
            if (plus >= 0) username = username.Substring(0, plus);
            username = username.Replace(".", "", StringComparison.Ordinal);
        }
        return username.ToLowerInvariant();
    }
}
