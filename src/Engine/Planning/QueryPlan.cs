using Dsl.Engine.Graph;

namespace Dsl.Engine.Planning;

/// <summary>
/// How to answer one shape of query for an entity: given these features, compute those. Made by <see cref="QueryPlanner"/>,
/// cached per shape, and shared by every query of that shape (it holds no values).
/// </summary>
public sealed class QueryPlan
{
    internal QueryPlan(EntityNode entity, IReadOnlyList<string> known, IReadOnlyList<string> outputs, IReadOnlyList<PlanStep> steps,
        IReadOnlyDictionary<string, int> producedBy, IReadOnlyDictionary<string, string> unplannable, IReadOnlyDictionary<string, string[]> bases)
    {
        Entity = entity;
        Known = known;
        Outputs = outputs;
        Steps = steps;
        ProducedBy = producedBy;
        Unplannable = unplannable;
        Bases = bases;
        IndependentResolverSteps = steps.Count(s => s.After.Count == 0 && s.Resolver is not null);
    }

    /// <summary>Steps that call a resolver and wait on no other step: they start together, and their SQL on one source goes in one batch.</summary>
    internal int IndependentResolverSteps { get; }

    /// <summary>The entity the query is about.</summary>
    public EntityNode Entity { get; }

    /// <summary>The features the query gives.</summary>
    public IReadOnlyList<string> Known { get; }

    /// <summary>The features the plan produces.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>The steps, each after the steps it reads.</summary>
    public IReadOnlyList<PlanStep> Steps { get; }

    /// <summary>Feature (or relation) → the step that gives it.</summary>
    public IReadOnlyDictionary<string, int> ProducedBy { get; }

    /// <summary>Features no online resolver can produce from what is known, with the reason (they fail; the rest is answered).</summary>
    public IReadOnlyDictionary<string, string> Unplannable { get; }

    /// <summary>Per output, the fetched features and relations it reads, directly or through other features: a failed one fails it.</summary>
    internal IReadOnlyDictionary<string, string[]> Bases { get; }

    /// <summary>The plan as lines, one per step (what <c>dsl query --explain</c> prints).</summary>
    /// <remarks>Made once per plan (a plan does not change, and the server writes these lines into every answer's metadata).</remarks>
    public IReadOnlyList<string> Explain() => _explained ??= ExplainSteps();

    private IReadOnlyList<string>? _explained;

    private string[] ExplainSteps()
    {
        var lines = Steps.Select(s => s.Explain()).ToList();
        if (Steps.Count == 0) lines.Add("(nothing to fetch or compute)");
        lines.AddRange(Unplannable.Select(u => $"cannot produce {Entity.Name}.{u.Key}: {u.Value}"));
        return [.. lines];
    }
}
