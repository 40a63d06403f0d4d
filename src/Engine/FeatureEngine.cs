using System.Diagnostics;
using Dsl.Engine.Graph;
using Dsl.Engine.Planning;
using Dsl.Engine.Values;

namespace Dsl.Engine;

/// <summary>
/// The online feature engine: answers "for <c>user.id = 42</c>, give me <c>user.total_spend</c> and <c>user.name</c>" by reading fresh
/// values from the online store, fetching what it must through online resolvers, and computing the rest with the compiled
/// feature plans. Thread-safe; build once (<see cref="FeatureEngineBuilder"/>) and share.
/// </summary>
public sealed partial class FeatureEngine
{
    internal FeatureEngine(EngineGraph graph, StoreAccess? store, Offline.IOfflineStore? offline = null)
    {
        _offline = offline;
        Graph = graph;
        Planner = new QueryPlanner(graph);
        _store = store;
    }

    /// <summary>The entities, features and resolvers the engine knows.</summary>
    public EngineGraph Graph { get; }

    /// <summary>The planner, with its cache of plans.</summary>
    public QueryPlanner Planner { get; }

    /// <summary>
    /// Answers a query: <paramref name="inputs"/> give features of one entity (<c>user.id</c> → 42), <paramref name="outputs"/> name
    /// features of the same entity. A feature that fails (a resolver's error or timeout, a row error of its definition) is null and
    /// listed in the errors; the others are answered.
    /// </summary>
    /// <exception cref="QueryException">The query names an unknown feature, gives a value of the wrong type, or mixes entities.</exception>
    public async Task<QueryResult> QueryAsync(IReadOnlyDictionary<string, object?> inputs, IReadOnlyList<string> outputs, QueryOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= QueryOptions.Default;
        var clock = Stopwatch.StartNew();
        var query = ParsedQuery.Parse(Graph, inputs, outputs, options);
        var now = options.Now ?? DateTime.UtcNow;

        var stored = await ReadStoreAsync(query, now, cancellationToken).ConfigureAwait(false);
        var (plan, state, answer) = await ComputeAsync(query, now, stored, null, cancellationToken).ConfigureAwait(false);
        var storeProblem = stored.Problem ?? await WriteStoreAsync(query, answer, now, cancellationToken).ConfigureAwait(false);
        storeProblem = await AppendOfflineAsync(query, answer, now, cancellationToken).ConfigureAwait(false) is { } offlineProblem
            ? storeProblem is null ? offlineProblem : $"{storeProblem}; {offlineProblem}"
            : storeProblem;

        var timings = options.Timings
            ? plan.Steps.Select(s => new StepTiming(s.Action, state.Timings.GetValueOrDefault(s.Index))).ToList()
            : [];
        return new QueryResult(answer.Values, answer.Errors, new QueryMetadata(plan, answer.Provenance, timings, storeProblem, clock.Elapsed));
    }

    /// <summary>
    /// Plans and runs what the store did not give, at <paramref name="now"/>: the one path online queries and offline recomputation
    /// share, so both compute every value the same way. <paramref name="fetched"/> shares resolver calls between queries of one entity.
    /// </summary>
    private async Task<(QueryPlan Plan, ExecutionState State, Answer Answer)> ComputeAsync(ParsedQuery query, DateTime now, StoredValues stored,
        System.Collections.Concurrent.ConcurrentDictionary<string, Task<Apache.Arrow.RecordBatch>>? fetched, CancellationToken cancellationToken)
    {
        var toCompute = query.Outputs.Where(o => !stored.Values.ContainsKey(o) && !query.Known.ContainsKey(o)).ToList();
        // Offline recomputation (the only caller sharing resolver calls) plans with offline resolvers preferred.
        var plan = Planner.Plan(query.Entity, query.Known.Keys.ToList(), toCompute, offline: fetched is not null);
        var state = new ExecutionState(query.Known, now, fetched);
        await PlanExecutor.RunAsync(plan, state, cancellationToken).ConfigureAwait(false);
        return (plan, state, Answers.Collect(query, plan, state, stored));
    }

    /// <summary>
    /// The plan a query of this shape runs when nothing is in the store: <paramref name="inputs"/> and <paramref name="outputs"/> are
    /// feature names (<c>user.id</c>, <c>user.total_spend</c>).
    /// </summary>
    /// <exception cref="QueryException">A name is unknown, or the names are of different entities.</exception>
    public QueryPlan Explain(IReadOnlyCollection<string> inputs, IReadOnlyList<string> outputs)
    {
        var query = ParsedQuery.Parse(Graph, inputs.ToDictionary(i => i, _ => (object?)null), outputs, QueryOptions.Default);
        return Planner.Plan(query.Entity, query.Known.Keys.ToList(), query.Outputs.Where(o => !query.Known.ContainsKey(o)).ToList());
    }
}
