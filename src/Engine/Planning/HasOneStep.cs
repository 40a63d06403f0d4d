using Dsl.Engine.Graph;

namespace Dsl.Engine.Planning;

/// <summary>
/// Fetches each entity's one related row of a has-one relation (<c>Transaction.User</c>, joined by <c>Transaction.UserId</c> → <c>User.Id</c>):
/// the related entity's features that the entity's definitions read (<c>User.Country</c>, or a computed <c>User.Label</c>) are answered
/// by a plan of the related entity's own, keyed by its key, for all distinct foreign keys at once — a bulk query within the query.
/// </summary>
public sealed class HasOneStep : PlanStep
{
    internal HasOneStep(int index, IReadOnlyList<int> after, Relation relation, IReadOnlyList<string> members, QueryPlan relatedPlan)
        : base(index, after)
    {
        Relation = relation;
        Members = members;
        RelatedPlan = relatedPlan;
    }

    /// <summary>The relation.</summary>
    public Relation Relation { get; }

    /// <summary>The related entity's features read through the relation.</summary>
    public IReadOnlyList<string> Members { get; }

    /// <summary>The related entity's plan: from its key to <see cref="Members"/>.</summary>
    public QueryPlan RelatedPlan { get; }

    /// <inheritdoc />
    public override bool IsCompiled => RelatedPlan.Steps.All(s => s.IsCompiled);

    /// <inheritdoc />
    public override IReadOnlyList<string> Features => field ??= [Relation.Name];

    /// <inheritdoc />
    public override string Action =>
        field ??= $"fetch {Relation.EntityType.Name}.{Relation.Name} (one {Relation.RelatedType.Name} row) by {string.Join(", ", Relation.Keys.Select(k => $"{Relation.EntityType.Name}.{k.Entity}"))}";

    private protected override string Detail =>
        $"; {Relation.RelatedType.Name}({string.Join(", ", Members)}) by its plan: {string.Join(" | ", RelatedPlan.Explain())}";
}
