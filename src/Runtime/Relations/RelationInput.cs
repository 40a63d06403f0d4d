namespace Dsl.Runtime;

/// <summary>
/// A relation a <see cref="FeaturePlan"/>'s features read. Has-many (the default): parameters bound to <see cref="Name"/>
/// read the related rows of each row of the batch (the parent), joined by key, and aggregate them. Has-one
/// (<see cref="HasOne"/>): a parameter bound to <see cref="Name"/> reads, for each row of the batch, the one related row
/// whose unique key equals the row's foreign key, or null when the foreign key is null or matches no related row. The
/// related rows come with each evaluation (<see cref="EvaluateOptions.Related"/>, a batch per relation name) or, online, as objects.
/// </summary>
/// <param name="Name">The relation's name, which parameters bind to (<c>Transactions</c>).</param>
/// <param name="ElementType">The related rows' CLR type (<c>Transaction</c>); its properties name the related batch's columns.</param>
/// <param name="ParentKeys">
/// The batch's key columns, in join order: for has-many the parent's unique key (<c>User.Id</c>), for has-one the row's
/// foreign key (<c>Transaction.UserId</c>).
/// </param>
/// <param name="RelatedKeys">
/// The related batch's key columns, in the same order: for has-many the related rows' foreign key
/// (<c>Transaction.UserId</c>), for has-one the related row's unique key (<c>User.Id</c>).
/// </param>
/// <param name="EventTime">
/// The related rows' event-time column, or null: when set, a parent computed as of <c>Now</c> sees only related rows
/// whose event time is at or before <c>Now</c>.
/// </param>
public sealed record RelationInput(string Name, Type ElementType, IReadOnlyList<string> ParentKeys, IReadOnlyList<string> RelatedKeys, string? EventTime = null)
{
    /// <summary>The name of the input that holds the time features are computed for (<c>Now</c>).</summary>
    public const string NowName = "$now";

    /// <summary>
    /// Whether the relation is has-one: at most one related row per row of the batch, read whole (a parameter of type
    /// <see cref="ElementType"/>) rather than aggregated. Its related keys must be unique and not null; it has no event time.
    /// </summary>
    public bool HasOne { get; init; }
}
