namespace Dsl.Samples;

/// <summary>
/// The reference domain: a purchase. Inputs are the order's amounts, its tax settings, when it was made
/// and the buyer (<see cref="User"/>, by id, and e-mail); <see cref="TransactionFeatures"/> computes the rest.
/// </summary>
public sealed class Transaction
{
    /// <summary>The transaction's id.</summary>
    [PrimaryKey]
    public long Id { get; set; }

    /// <summary>The buyer: a <see cref="User"/>'s transactions are those whose <c>UserId</c> is its <c>Id</c>.</summary>
    public long UserId { get; set; }

    /// <summary>The amount before discount and tax.</summary>
    public double Subtotal { get; set; }

    /// <summary>An absolute discount, when one applies.</summary>
    public double? Discount { get; set; }

    /// <summary>The tax rate (0.2 for 20%), when known.</summary>
    public double? TaxRate { get; set; }

    /// <summary>Whether tax applies.</summary>
    public bool Taxable { get; set; }

    /// <summary>When the transaction was made (UTC): a user's features computed as of an earlier time do not see it.</summary>
    [EventTime]
    public DateTime CreatedAt { get; set; }

    /// <summary>The buyer's e-mail address.</summary>
    public string Email { get; set; } = "";

    /// <summary>Computed: the subtotal is above 1000.</summary>
    public bool IsExpensive { get; set; }

    /// <summary>Computed: the subtotal after discount, plus tax where it applies.</summary>
    public double Total { get; set; }

    /// <summary>Computed: the mailbox name, normalized for gmail.</summary>
    public string EmailUsername { get; set; } = "";

    /// <summary>Computed: a large taxable total.</summary>
    public bool LargeTaxableTotal { get; set; }
}
