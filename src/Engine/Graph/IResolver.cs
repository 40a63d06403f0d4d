using Apache.Arrow;

namespace Dsl.Engine.Graph;

/// <summary>
/// What the graph and the planner need of a resolver, whatever runs it (a SQL query on a source, a C# method with effects):
/// the entity whose rows it returns, the features it takes and the columns it gives, and a way to run it.
/// </summary>
/// <remarks>
/// A resolver either looks up its entity's own row (its inputs are features of that entity, usually the primary key) or
/// fetches the related rows of another entity (its inputs are features of the parent entity, <c>${user.id}</c> in a
/// resolver of <c>Transaction</c>): the planner tells the two apart by the inputs' entity.
/// </remarks>
public interface IResolver
{
    /// <summary>The resolver's name, unique in an engine (the SQL file's name, the C# resolver's given name).</summary>
    string Name { get; }

    /// <summary>The entity whose rows it returns (<c>User</c>), matched to the entity class's name ignoring case.</summary>
    string Entity { get; }

    /// <summary>Online resolvers serve queries; offline ones only batch jobs (the planner of online queries ignores them).</summary>
    Resolvers.ResolverKind Kind { get; }

    /// <summary>The features it takes, in the order <see cref="FetchAsync"/> receives them: <c>user.id</c> (entity, dot, feature).</summary>
    IReadOnlyList<string> Inputs { get; }

    /// <summary>The columns of its result; each names a feature of <see cref="Entity"/> (by the DSL's binding rules).</summary>
    IReadOnlyList<string> Outputs { get; }

    /// <summary>What runs it, for plans and errors: <c>SQL on duckdb 'main'</c>, <c>C# (not compiled)</c>.</summary>
    string Description { get; }

    /// <summary>The longest a call may take; a slower call fails the features that need it with a <see cref="TimeoutException"/>.</summary>
    TimeSpan Timeout { get; }

    /// <summary>Runs the resolver for one set of input values (converted to the input features' types).</summary>
    Task<RecordBatch> FetchAsync(IReadOnlyList<object?> inputs, CancellationToken cancellationToken);
}

/// <summary>
/// A resolver that answers many lookups in one call (a SQL resolver: one round trip for all the entities of a bulk query). Other
/// resolvers are called once per entity, all at once, each within its timeout, so that one entity's failure is its own.
/// </summary>
public interface IBulkResolver : IResolver
{
    /// <summary>
    /// Runs the resolver for many sets of input values at once: one batch whose first column, <c>$key</c> (int32), is the index of the
    /// set each row answers, followed by the resolver's columns (<see cref="Resolvers.KeyedBatches"/>).
    /// </summary>
    Task<RecordBatch> FetchManyAsync(IReadOnlyList<IReadOnlyList<object?>> inputs, CancellationToken cancellationToken);
}
