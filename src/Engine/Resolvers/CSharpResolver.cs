using System.Reflection;
using Apache.Arrow;
using Dsl.Engine.Graph;
using Dsl.Engine.Values;

namespace Dsl.Engine.Resolvers;

/// <summary>
/// A resolver written in C# with effects: an async method that returns rows (from an HTTP call, a model, a cache), run as
/// written with a per-resolver timeout. It is never compiled — the planner says so — since it may do anything.
/// </summary>
/// <remarks>
/// Each row is an object whose public properties named by the outputs become the result's columns (so the entity class
/// itself serves, with only the features the resolver fills listed). The method receives the cancellation token of its
/// timeout; a method that ignores it is abandoned when the timeout passes, and its features get a <see cref="TimeoutException"/>.
/// </remarks>
public sealed class CSharpResolver : IResolver
{
    private readonly Func<IReadOnlyList<object?>, CancellationToken, Task<IEnumerable<object>>> _fetch;
    private readonly PropertyInfo[] _columns;

    private CSharpResolver(string name, string entity, ResolverKind kind, IReadOnlyList<string> inputs, PropertyInfo[] columns, TimeSpan timeout,
        Func<IReadOnlyList<object?>, CancellationToken, Task<IEnumerable<object>>> fetch)
    {
        Name = name;
        Entity = entity;
        Kind = kind;
        Inputs = inputs;
        _columns = columns;
        Outputs = columns.Select(c => c.Name).ToArray();
        Timeout = timeout;
        _fetch = fetch;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Entity { get; }

    /// <inheritdoc />
    public ResolverKind Kind { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Inputs { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Outputs { get; }

    /// <inheritdoc />
    public string Description => "C# (not compiled)";

    /// <inheritdoc />
    public TimeSpan Timeout { get; }

    /// <summary>
    /// A resolver of one input: <c>CSharpResolver.Create&lt;long, User&gt;("profile_api", "user.id", ["Name", "Country"], async (id, ct) =&gt; …)</c>
    /// returns <typeparamref name="TRow"/> objects whose listed properties are the outputs. The entity is <typeparamref name="TRow"/>'s
    /// name unless <see cref="CSharpResolverOptions.Entity"/> says otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">An output is not a readable public property of <typeparamref name="TRow"/>, or its type has no Arrow column.</exception>
    public static CSharpResolver Create<TInput, TRow>(string name, string input, IReadOnlyList<string> outputs,
        Func<TInput, CancellationToken, Task<IEnumerable<TRow>>> fetch, CSharpResolverOptions? options = null)
        where TRow : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(fetch);
        options ??= new CSharpResolverOptions();
        var columns = outputs.Select(o => Column(typeof(TRow), o, name)).ToArray();
        return new CSharpResolver(name, options.Entity ?? typeof(TRow).Name, options.Kind, [input], columns, options.Timeout,
            async (values, token) => (await fetch((TInput)values[0]!, token).ConfigureAwait(false)).Cast<object>());
    }

    /// <inheritdoc />
    public async Task<RecordBatch> FetchAsync(IReadOnlyList<object?> inputs, CancellationToken cancellationToken)
    {
        var rows = (await _fetch(inputs, cancellationToken).ConfigureAwait(false) ?? []).ToList();
        var columns = _columns.Select(c => (c.Name, c.PropertyType, (IReadOnlyList<object?>)rows.Select(c.GetValue).ToList())).ToList();
        return ArrowColumns.Batch(columns, rows.Count);
    }

    private static PropertyInfo Column(Type row, string output, string resolver)
    {
        var property = row.GetProperty(output, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property?.GetMethod is null)
            throw new ArgumentException($"Resolver '{resolver}': {row.Name} has no readable public property '{output}' to return.", nameof(output));
        if (!ArrowColumns.IsSupported(property.PropertyType))
            throw new ArgumentException($"Resolver '{resolver}': {row.Name}.{property.Name} is {TypeNames.CSharpName(property.PropertyType)}, which has no Arrow column.", nameof(output));
        return property;
    }
}

/// <summary>Settings of a <see cref="CSharpResolver"/>.</summary>
public sealed record CSharpResolverOptions
{
    /// <summary>The entity whose rows it returns; the row type's name when null.</summary>
    public string? Entity { get; init; }

    /// <summary>Online (the default) or offline only.</summary>
    public ResolverKind Kind { get; init; } = ResolverKind.Online;

    /// <summary>The longest a call may take (one second by default).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);
}
