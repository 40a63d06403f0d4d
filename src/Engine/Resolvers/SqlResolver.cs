namespace Dsl.Engine.Resolvers;

/// <summary>
/// A SQL resolver as written: a <c>.sql</c> file whose header comment says which entity it resolves, from which data
/// source, and when it runs; its query's columns are features of that entity, and each <c>${entity.feature}</c> in the
/// query makes it a lookup by that feature's value.
/// </summary>
/// <example>
/// <code>
/// -- resolves: User
/// -- source: accounts
/// -- type: online
/// -- timeout: 200ms
/// SELECT id, full_name AS name, created_at FROM users WHERE id = ${user.id}
/// </code>
/// </example>
/// <remarks>
/// Parsing checks the text only (<see cref="SqlResolverParser"/>); <see cref="Bind"/> resolves the names against the
/// engine's entities and sources, and <see cref="BoundSqlResolver.DescribeAsync"/> asks the source for the columns.
/// </remarks>
public sealed class SqlResolver
{
    internal SqlResolver(
        string name, string file, HeaderValue entity, HeaderValue source, ResolverKind kind, TimeSpan? timeout, string description,
        string body, IReadOnlyList<SqlParameterReference> parameters, IReadOnlyList<SqlPart> parts)
    {
        Name = name;
        File = file;
        EntityHeader = entity;
        SourceHeader = source;
        Kind = kind;
        Timeout = timeout;
        Description = description;
        Body = body;
        Parameters = parameters;
        Parts = parts;
    }

    /// <summary>The resolver's name: the file name without <c>.sql</c>, or the <c>-- name:</c> header.</summary>
    public string Name { get; }

    /// <summary>The file it was read from, or the name given to text without a file; errors start with it.</summary>
    public string File { get; }

    /// <summary>The entity its columns are features of (<c>-- resolves: User</c>), as written.</summary>
    public string Entity => EntityHeader.Value;

    /// <summary>The data source's name (<c>-- source: accounts</c>), as written.</summary>
    public string Source => SourceHeader.Value;

    /// <summary>Online (the default) or offline (<c>-- type: offline</c>).</summary>
    public ResolverKind Kind { get; }

    /// <summary>How long a run may take before its features fail with a timeout (<c>-- timeout: 200ms</c>); null for no limit of its own.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>The header's comment lines that are not <c>key: value</c> settings, joined by new lines.</summary>
    public string Description { get; }

    /// <summary>The query as written after the header (one statement; a final <c>;</c> removed).</summary>
    public string Body { get; }

    /// <summary>The distinct <c>${entity.feature}</c> references, in order of first use: the lookup's keys. Empty for a resolver that reads everything.</summary>
    public IReadOnlyList<SqlParameterReference> Parameters { get; }

    /// <summary>Whether the query is a lookup by key (it has parameters).</summary>
    public bool IsLookup => Parameters.Count > 0;

    internal HeaderValue EntityHeader { get; }

    internal HeaderValue SourceHeader { get; }

    /// <summary>The body as text pieces and parameter uses, in order, for rendering with a source's placeholders.</summary>
    internal IReadOnlyList<SqlPart> Parts { get; }

    /// <summary>Parses SQL text; <paramref name="file"/> names it in errors and gives the default name.</summary>
    /// <exception cref="SqlResolverException">The header or a parameter is malformed (the message gives file and line).</exception>
    public static SqlResolver Parse(string text, string file = "resolver.sql") => SqlResolverParser.Parse(text, file);

    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    /// <exception cref="SqlResolverException">The header or a parameter is malformed.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SqlResolver Load(string path) => SqlResolverParser.Parse(System.IO.File.ReadAllText(path), path);

    /// <summary>Every <c>*.sql</c> file under <paramref name="directory"/> (and its subdirectories), parsed, in path order.</summary>
    /// <exception cref="SqlResolverException">A file is malformed.</exception>
    public static IReadOnlyList<SqlResolver> LoadDirectory(string directory) =>
        Directory.EnumerateFiles(directory, "*.sql", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(Load).ToList();

    /// <summary>
    /// Resolves the entity, the source and each parameter's feature against <paramref name="featureSets"/> and
    /// <paramref name="sources"/> (names match exactly, then ignoring case, then ignoring underscores too).
    /// </summary>
    /// <exception cref="SqlResolverException">An unknown or ambiguous entity, source or feature (naming the file, line and the known names).</exception>
    public BoundSqlResolver Bind(IEnumerable<FeatureSet> featureSets, IEnumerable<Sources.DataSource> sources) =>
        SqlResolverBinder.Bind(this, featureSets.ToList(), sources.ToList());

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({File}): resolves {Entity} from {Source}, {Kind.ToString().ToLowerInvariant()}";
}

/// <summary>A <c>${entity.feature}</c> in a resolver's query: a key the lookup is by.</summary>
/// <param name="Entity">The entity as written (<c>user</c>).</param>
/// <param name="Feature">The feature as written (<c>id</c>).</param>
/// <param name="Line">The line of its first use, from 1.</param>
/// <param name="Column">The column of its first use, from 1.</param>
public sealed record SqlParameterReference(string Entity, string Feature, int Line, int Column)
{
    /// <summary>The reference as written, <c>${user.id}</c>.</summary>
    public override string ToString() => $"${{{Entity}.{Feature}}}";
}

/// <summary>A header setting's value and the line it is on.</summary>
internal sealed record HeaderValue(string Value, int Line);

/// <summary>A piece of a query body: literal SQL text, or a use of parameter <see cref="Parameter"/> (an index into <see cref="SqlResolver.Parameters"/>).</summary>
internal sealed record SqlPart(string? Text, int Parameter);
