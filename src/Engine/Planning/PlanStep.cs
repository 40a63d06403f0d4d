using Dsl.Engine.Graph;
using Dsl.Runtime;

using Dsl.Engine.Resolvers;

namespace Dsl.Engine.Planning;

/// <summary>One step of a <see cref="QueryPlan"/>: it runs once the steps it comes after are done.</summary>
public abstract class PlanStep
{
    private protected PlanStep(int index, IReadOnlyList<int> after)
    {
        Index = index;
        After = after;
    }

    /// <summary>The step's position in the plan (from 0).</summary>
    public int Index { get; }

    /// <summary>The steps whose results this one reads.</summary>
    public IReadOnlyList<int> After { get; }

    /// <summary>What the step does, one line (<c>lookup User(Name, Country) by User.Id</c>).</summary>
    public abstract string Action { get; }

    /// <summary>The resolver it runs, or null for a computation.</summary>
    public virtual ResolverNode? Resolver => null;

    /// <summary>Whether the step's work is compiled: true only for computations whose features all compiled to kernels.</summary>
    public abstract bool IsCompiled { get; }

    /// <summary>The features the step gives (a relation's name for fetched rows).</summary>
    public abstract IReadOnlyList<string> Features { get; }

    /// <summary>The line <c>dsl query --explain</c> prints.</summary>
    public string Explain()
    {
        var how = Resolver is { } r
            ? $"resolver '{r.Name}': {r.Resolver.Description}, {(r.Resolver.Kind == ResolverKind.Online ? "online" : "offline")}"
            : IsCompiled ? "compiled" : "not all compiled";
        return $"{Index + 1}. {Action} — {how}{(After.Count == 0 ? "" : $"; after {string.Join(", ", After.Select(a => a + 1))}")}{Detail}";
    }

    /// <summary>Where a value this step produced came from, as a query's metadata says (one object shared by every answer).</summary>
    internal FeatureProvenance Provenance => field ??= new FeatureProvenance(this is ComputeStep ? ValueSource.Computed : ValueSource.Resolver, Step: Action);

    /// <summary>More to say, appended to <see cref="Explain"/> (the verdicts of computed features).</summary>
    private protected virtual string Detail => "";
}

/// <summary>Looks up the entity's own row with a resolver keyed by features of the entity.</summary>
public sealed class LookupStep : PlanStep
{
    internal LookupStep(int index, IReadOnlyList<int> after, ResolverNode resolver, IReadOnlyList<string> features, bool keyedByGiven)
        : base(index, after)
    {
        Lookup = resolver;
        Features = features;
        KeyedByGiven = keyedByGiven;
        InputFeatures = [.. resolver.Inputs.Select(i => i.Feature)];
        var produced = features.ToHashSet(StringComparer.Ordinal);
        Columns = [.. resolver.ColumnFeatures.Where(c => produced.Contains(c.Value))
            .Select(c => new LookupColumn(c.Key, c.Value, resolver.Entity.Features[c.Value].Type, $"{resolver.Entity.Name}.{c.Value}"))];
    }

    /// <summary>Whether every input of the lookup is a feature the query gives (then no row means the entity does not exist there).</summary>
    internal bool KeyedByGiven { get; }

    /// <summary>The resolver's input features, in its order.</summary>
    internal IReadOnlyList<string> InputFeatures { get; }

    /// <summary>The resolver's columns that give <see cref="Features"/>, each with its feature's type and qualified name.</summary>
    internal IReadOnlyList<LookupColumn> Columns { get; }

    /// <summary>The resolver.</summary>
    public ResolverNode Lookup { get; }

    /// <inheritdoc />
    public override ResolverNode? Resolver => Lookup;

    /// <inheritdoc />
    public override bool IsCompiled => false;

    /// <summary>The resolver's outputs the query did not give (a lookup's keys are given, not produced).</summary>
    public override IReadOnlyList<string> Features { get; }

    /// <inheritdoc />
    public override string Action => field ??= $"lookup {Lookup.Entity.Name}({string.Join(", ", Lookup.Outputs)}) by {string.Join(", ", Lookup.Inputs)}";
}

/// <summary>A column of a lookup's answer and the feature it gives.</summary>
internal sealed record LookupColumn(string Column, string Feature, Type Type, string QualifiedName);

/// <summary>
/// Fetches the related rows of a has-many relation with a resolver of the related entity keyed by the parent's features,
/// then computes the related entity's own features over those rows (its compiled plan, the batch path) when aggregations
/// may read them.
/// </summary>
public sealed class RelatedRowsStep : PlanStep
{
    internal RelatedRowsStep(int index, IReadOnlyList<int> after, ResolverNode resolver, Relation relation, IReadOnlyList<string> parentInputs,
        FeaturePlan? relatedPlan, IReadOnlyList<FeatureVerdict> relatedVerdicts)
        : base(index, after)
    {
        Fetch = resolver;
        Relation = relation;
        ParentInputs = parentInputs;
        RelatedPlan = relatedPlan;
        RelatedVerdicts = relatedVerdicts;
    }

    /// <summary>The resolver of the related entity.</summary>
    public ResolverNode Fetch { get; }

    /// <summary>The relation whose rows it fetches.</summary>
    public Relation Relation { get; }

    /// <summary>The parent's features passed as the resolver's inputs, in its order.</summary>
    public IReadOnlyList<string> ParentInputs { get; }

    /// <summary>The related entity's computed features to evaluate over the fetched rows, or null when there are none.</summary>
    public FeaturePlan? RelatedPlan { get; }

    /// <summary>Their verdicts (compiled, or row by row and why).</summary>
    public IReadOnlyList<FeatureVerdict> RelatedVerdicts { get; }

    /// <inheritdoc />
    public override ResolverNode? Resolver => Fetch;

    /// <inheritdoc />
    public override bool IsCompiled => false;

    /// <inheritdoc />
    public override IReadOnlyList<string> Features => field ??= [Relation.Name];

    /// <summary>The fetch's renamed schema, reused while the resolver answers with the same one.</summary>
    internal RenamedSchemaCache Renamed { get; } = new();

    /// <inheritdoc />
    public override string Action =>
        field ??= $"fetch {Relation.EntityType.Name}.{Relation.Name} ({Relation.RelatedType.Name} rows) by {string.Join(", ", ParentInputs.Select(p => $"{Relation.EntityType.Name}.{p}"))}";

    private protected override string Detail => RelatedVerdicts.Count == 0 ? ""
        : $"; then {Relation.RelatedType.Name}({string.Join(", ", RelatedVerdicts.Select(v => v.Feature))}) over the rows: {Verdicts.Describe(RelatedVerdicts)}";
}

/// <summary>Computes the entity's requested features (and those they read) with the compiled feature plan, over one row.</summary>
public sealed class ComputeStep : PlanStep
{
    internal ComputeStep(int index, IReadOnlyList<int> after, EntityNode entity, FeaturePlan plan, IReadOnlyList<FeatureVerdict> verdicts, IReadOnlyList<string> relations)
        : base(index, after)
    {
        Entity = entity;
        Plan = plan;
        Verdicts = verdicts;
        Relations = relations;
    }

    /// <summary>The entity.</summary>
    public EntityNode Entity { get; }

    /// <summary>The runtime plan of exactly the features computed here.</summary>
    public FeaturePlan Plan { get; }

    /// <summary>Their verdicts.</summary>
    public IReadOnlyList<FeatureVerdict> Verdicts { get; }

    /// <summary>The relations whose rows the features aggregate.</summary>
    public IReadOnlyList<string> Relations { get; }

    /// <inheritdoc />
    public override bool IsCompiled => Verdicts.All(v => v.IsCompiled);

    /// <inheritdoc />
    public override IReadOnlyList<string> Features => field ??= [.. Verdicts.Select(v => v.Feature)];

    /// <inheritdoc />
    public override string Action => field ??= $"compute {Entity.Name}({string.Join(", ", Features)})";

    /// <summary>The columns of the one-row batch the computation reads (<see cref="RelatedBatches.Parent"/>), found once.</summary>
    internal IReadOnlyList<string> ParentColumns => field ??= RelatedBatches.ParentColumns(this);

    /// <summary>The schema of that batch, made on first use.</summary>
    internal Apache.Arrow.Schema? ParentSchema { get; set; }

    private protected override string Detail => $"; {Planning.Verdicts.Describe(Verdicts)}";
}

/// <summary>How verdicts read in a plan.</summary>
internal static class Verdicts
{
    public static string Describe(IReadOnlyList<FeatureVerdict> verdicts)
    {
        var compiled = verdicts.Where(v => v.IsCompiled).Select(v => v.Feature).ToList();
        var fallback = verdicts.Where(v => !v.IsCompiled).Select(v => $"{v.Feature} ({v.Reason})").ToList();
        var parts = new List<string>();
        if (compiled.Count > 0) parts.Add($"compiled: {string.Join(", ", compiled)}");
        if (fallback.Count > 0) parts.Add($"row by row: {string.Join(", ", fallback)}");
        return string.Join("; ", parts);
    }
}
