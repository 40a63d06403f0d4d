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
        CancellationToken cancellationToken = default) =>
        (await QueryManyAsync([inputs], outputs, options, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Answers one query for many entities at once (<c>user.id</c> = 1, 2, 3…): each resolver runs once for all of them (one SQL round
    /// trip), the compiled features are computed in one pass over all of them, and the online store is read and written once. Every
    /// entity gives the same features; the results are in the order of <paramref name="inputs"/>, each equal to what
    /// <see cref="QueryAsync"/> answers for that entity alone.
    /// </summary>
    /// <exception cref="QueryException">No entity, or one of them is not a valid query, or they give different features.</exception>
    public async Task<IReadOnlyList<QueryResult>> QueryManyAsync(IReadOnlyList<IReadOnlyDictionary<string, object?>> inputs, IReadOnlyList<string> outputs,
        QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= QueryOptions.Default;
        var started = Stopwatch.GetTimestamp();
        var queries = ParsedQuery.ParseMany(Graph, inputs, outputs, options);
        var now = options.Now ?? DateTime.UtcNow;

        var stored = await ReadStoreAsync(queries, now, cancellationToken).ConfigureAwait(false);
        var first = queries[0];
        bool Missing(int query, string output) => !stored[query].Values.ContainsKey(output) && !first.Known.ContainsKey(output);
        var toCompute = new List<string>();
        foreach (var output in first.Outputs)
        {
            for (var i = 0; i < queries.Count; i++)
            {
                if (!Missing(i, output)) continue;
                toCompute.Add(output);
                break;
            }
        }
        var plan = Planner.Plan(first.Entity, first.Known.Keys, toCompute);

        // Entities that give the same values are computed once; entities the store answered entirely are not computed.
        var rowOf = new int[queries.Count];
        Array.Fill(rowOf, -1);
        var known = new List<IReadOnlyDictionary<string, object?>>();
        if (toCompute.Count > 0) CollectRows(queries, toCompute, Missing, rowOf, known);
        var state = known.Count == 0 ? ExecutionState.None : new ExecutionState(known, now);
        if (known.Count > 0) await PlanExecutor.RunAsync(plan, state, cancellationToken).ConfigureAwait(false);

        var answers = new Answer[queries.Count];
        for (var i = 0; i < queries.Count; i++) answers[i] = Answers.Collect(queries[i], plan, state, rowOf[i], stored[i]);
        var storeProblem = stored[0].Problem ?? await WriteStoreAsync(queries, answers, now, cancellationToken).ConfigureAwait(false);
        storeProblem = await AppendOfflineAsync(queries, answers, now, cancellationToken).ConfigureAwait(false) is { } offlineProblem
            ? storeProblem is null ? offlineProblem : $"{storeProblem}; {offlineProblem}"
            : storeProblem;
        IReadOnlyList<StepTiming> timings = options.Timings && plan.Steps.Count > 0
            ? plan.Steps.Select(s => new StepTiming(s.Action, state.Timings.GetValueOrDefault(s.Index))).ToList()
            : [];
        var elapsed = Stopwatch.GetElapsedTime(started);
        var results = new QueryResult[answers.Length];
        for (var i = 0; i < answers.Length; i++)
            results[i] = new QueryResult(answers[i].Values, answers[i].Errors, new QueryMetadata(plan, answers[i].Provenance, timings, storeProblem, elapsed));
        return results;
    }

    /// <summary>
    /// The entities to compute (<paramref name="known"/>, each once: entities that give the same values share a row) and each query's
    /// row in <paramref name="rowOf"/>; a query the store answered entirely keeps −1.
    /// </summary>
    private static void CollectRows(IReadOnlyList<ParsedQuery> queries, List<string> toCompute, Func<int, string, bool> missing, int[] rowOf,
        List<IReadOnlyDictionary<string, object?>> known)
    {
        var rows = new Dictionary<object?[], int>(ValuesComparer.Instance);
        var names = queries[0].Known.Keys.ToList();
        for (var i = 0; i < queries.Count; i++)
        {
            if (!toCompute.Exists(o => missing(i, o))) continue;
            var values = names.Select(n => queries[i].Known[n]).ToArray();
            if (!rows.TryGetValue(values, out rowOf[i]))
            {
                rows[values] = rowOf[i] = known.Count;
                known.Add(queries[i].Known);
            }
        }
    }

    /// <summary>
    /// Plans and runs what the store did not give, at <paramref name="now"/>: the one path online queries and offline recomputation
    /// share, so both compute every value the same way. <paramref name="calls"/> shares resolver calls between queries of one entity.
    /// </summary>
    private async Task<(QueryPlan Plan, ExecutionState State, Answer Answer)> ComputeAsync(ParsedQuery query, DateTime now, StoredValues stored,
        ResolverCallCache? calls, CancellationToken cancellationToken)
    {
        var toCompute = query.Outputs.Where(o => !stored.Values.ContainsKey(o) && !query.Known.ContainsKey(o)).ToList();
        // Offline recomputation (the only caller sharing resolver calls) plans with offline resolvers preferred.
        var plan = Planner.Plan(query.Entity, query.Known.Keys, toCompute, offline: calls is not null);
        var state = new ExecutionState([query.Known], now, calls);
        await PlanExecutor.RunAsync(plan, state, cancellationToken).ConfigureAwait(false);
        return (plan, state, Answers.Collect(query, plan, state, 0, stored));
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
