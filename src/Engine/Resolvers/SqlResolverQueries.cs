using System.Text;
using Dsl.Engine.Sources;

namespace Dsl.Engine.Resolvers;

/// <summary>
/// The SQL a resolver runs, written once per resolver in its source's dialect (<see cref="DataSource.Placeholder"/>,
/// <see cref="DataSource.ListRelation"/>), with the query as written wrapped as a subquery (each wrapper starts the
/// query on a new line and ends it with one, so a trailing <c>--</c> comment cannot swallow the wrapper).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="Single"/>: <c>SELECT CAST(0 AS INTEGER) AS __key, __q.* FROM (query) AS __q</c>, each <c>${…}</c> a
/// scalar parameter <c>k0</c>, <c>k1</c>…; without parameters, the query as written.</item>
/// <item><see cref="Batched"/>: the same query joined laterally to the key lists (<c>k0</c> a list of keys), each
/// <c>${…}</c> the list element's column, <c>__key</c> the position in the lists from 0, rows ordered by it.</item>
/// <item><see cref="Describe"/>: the query with placeholder keys, for no rows (<c>LIMIT 0</c>): its columns.</item>
/// </list>
/// </remarks>
internal sealed class SqlResolverQueries
{
    private const string KeyColumn = "__key";
    private readonly IReadOnlyList<ResolverKey> _keys;
    private readonly Type[] _wireTypes;

    public SqlResolverQueries(SqlResolver resolver, DataSource source, IReadOnlyList<ResolverKey> keys)
    {
        _keys = keys;
        _wireTypes = keys.Select(k => SqlKeyValues.WireType(k.Feature.Type)).ToArray();
        var names = keys.Select((_, j) => ParameterName(j)).ToArray();
        var scalar = Render(resolver, j => source.Placeholder(names[j]));
        if (keys.Count == 0)
        {
            Single = scalar;
            Describe = $"SELECT * FROM (\n{scalar}\n) AS __d LIMIT 0";
            Batched = Single;
            return;
        }

        Single = $"SELECT CAST(0 AS INTEGER) AS {KeyColumn}, __q.* FROM (\n{scalar}\n) AS __q";
        Describe = $"SELECT * FROM (\n{scalar}\n) AS __d LIMIT 0";
        var columns = keys.Select((_, j) => $"c{j}").ToArray();
        var relation = source.ListRelation(names, columns, "__ord", "__keys");
        var lateral = Render(resolver, j => $"__keys.{columns[j]}");
        Batched = $"SELECT CAST(__keys.__ord - 1 AS INTEGER) AS {KeyColumn}, __q.* FROM {relation} CROSS JOIN LATERAL (\n{lateral}\n) AS __q ORDER BY __keys.__ord";
    }

    /// <summary>The query for one key (scalar parameters), or the whole query for a resolver without parameters.</summary>
    public string Single { get; }

    /// <summary>The query for many keys (list parameters).</summary>
    public string Batched { get; }

    /// <summary>The query for its columns only.</summary>
    public string Describe { get; }

    /// <summary>The parameters of <see cref="Describe"/>: a placeholder key per parameter (no row is read).</summary>
    public IReadOnlyList<SqlParameterValue> PlaceholderParameters() =>
        _wireTypes.Select((type, j) => new SqlParameterValue(ParameterName(j), SqlKeyValues.Placeholder(type))).ToList();

    /// <summary>The parameters of <see cref="Single"/> for one lookup's values (none null).</summary>
    public IReadOnlyList<SqlParameterValue> ScalarParameters(IReadOnlyList<object?> values) =>
        _keys.Select((key, j) => new SqlParameterValue(ParameterName(j), SqlKeyValues.Convert(values[j]!, _wireTypes[j], key.Reference.ToString()))).ToList();

    /// <summary>The parameters of <see cref="Batched"/>: one list per parameter, lookups in order (no value null).</summary>
    public IReadOnlyList<SqlParameterValue> ListParameters(IReadOnlyList<IReadOnlyList<object?>> lookups) =>
        _keys.Select((key, j) => new SqlParameterValue(ParameterName(j), SqlKeyValues.ToList(
            lookups.Select(values => SqlKeyValues.Convert(values[j]!, _wireTypes[j], key.Reference.ToString())).ToList(), _wireTypes[j]))).ToList();

    private static string ParameterName(int j) => $"k{j}";

    private static string Render(SqlResolver resolver, Func<int, string> parameter)
    {
        var sql = new StringBuilder();
        foreach (var part in resolver.Parts) sql.Append(part.Text ?? parameter(part.Parameter));
        return sql.ToString().Trim();
    }
}
