namespace Dsl.Runtime;

/// <summary>
/// A has-many relation a <see cref="FeaturePlan"/> can aggregate over: parameters bound to <see cref="Name"/> read the
/// related rows of each row of the batch (the parent), joined by key. The related rows come with each evaluation
/// (<see cref="EvaluateOptions.Related"/>, a batch per relation name) or, online, as objects.
/// </summary>
/// <param name="Name">The relation's name, which parameters bind to (<c>Transactions</c>).</param>
/// <param name="ElementType">The related rows' CLR type (<c>Transaction</c>); its properties name the related batch's columns.</param>
/// <param name="ParentKeys">The parent batch's key columns, in join order.</param>
/// <param name="RelatedKeys">The related batch's key columns, in the same order.</param>
/// <param name="EventTime">
/// The related rows' event-time column, or null: when set, a parent computed as of <c>Now</c> sees only related rows
/// whose event time is at or before <c>Now</c>.
/// </param>
public sealed record RelationInput(string Name, Type ElementType, IReadOnlyList<string> ParentKeys, IReadOnlyList<string> RelatedKeys, string? EventTime = null)
{
    /// <summary>The name of the input that holds the time features are computed for (<c>Now</c>).</summary>
    public const string NowName = "$now";
}
