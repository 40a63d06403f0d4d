using System.Globalization;
using System.Text.Json;
using Dsl.Engine.Graph;

namespace Dsl.Engine.Server;

/// <summary>
/// The body of <c>POST /v1/query</c>, read strictly: <c>{"inputs": {"user.id": 42}, "outputs": ["user.total_spend"],
/// "now": "2026-06-30T12:00:00Z", "max_staleness": {"user.total_spend": "5m"}}</c>; of <c>POST /v1/query/bulk</c> the same with
/// <c>"inputs"</c> an array of such objects, one per entity (<c>[{"user.id": 1}, {"user.id": 2}]</c>). Anything else is a
/// <see cref="QueryException"/> naming the member and the problem (a 400, never a 500).
/// </summary>
/// <param name="Entities">The inputs of each entity (one for <c>/v1/query</c>).</param>
/// <param name="Outputs">The features asked for.</param>
/// <param name="Options">The time and staleness overrides.</param>
public sealed record QueryRequest(IReadOnlyList<IReadOnlyDictionary<string, object?>> Entities, IReadOnlyList<string> Outputs, QueryOptions Options)
{
    /// <summary>The inputs of the first (for <c>/v1/query</c>, the only) entity.</summary>
    public IReadOnlyDictionary<string, object?> Inputs => Entities[0];

    /// <summary>The deepest nesting a body may have.</summary>
    public const int MaxDepth = 16;

    /// <summary>At most this many inputs, outputs or staleness overrides.</summary>
    public const int MaxNames = 1_000;

    /// <exception cref="QueryException">The body is not JSON, or not a query.</exception>
    public static QueryRequest Parse(ReadOnlyMemory<byte> body) => Parse(body, bulk: false);

    /// <summary>Reads the body of <c>/v1/query/bulk</c>: <c>"inputs"</c> is an array of at most <see cref="MaxNames"/> entities' inputs.</summary>
    /// <exception cref="QueryException">The body is not JSON, or not a bulk query.</exception>
    public static QueryRequest ParseBulk(ReadOnlyMemory<byte> body) => Parse(body, bulk: true);

    private static QueryRequest Parse(ReadOnlyMemory<byte> body, bool bulk)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw new QueryException($"The body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement, bulk);
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json refuses to decode some valid JSON text as .NET strings (a lone surrogate escape, "\ud800").
                throw new QueryException($"The body holds a string that cannot be read: {e.Message}");
            }
        }
    }

    private static QueryRequest Read(JsonElement root, bool bulk)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new QueryException($"The body must be a JSON object, not {Kind(root)}.");
        var entities = new List<IReadOnlyDictionary<string, object?>>();
        var outputs = new List<string>();
        DateTime? now = null;
        Dictionary<string, TimeSpan>? staleness = null;
        foreach (var member in root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "inputs" when !bulk:
                    entities.Add(EntityInputs(member.Value, "inputs"));
                    break;
                case "inputs":
                    if (member.Value.ValueKind != JsonValueKind.Array)
                        throw new QueryException($"'inputs' of a bulk query must be an array of objects, one per entity, not {Kind(member.Value)}.");
                    if (member.Value.GetArrayLength() > MaxNames) throw new QueryException($"'inputs' gives more than {MaxNames} entities.");
                    foreach (var entity in member.Value.EnumerateArray()) entities.Add(EntityInputs(entity, $"inputs[{entities.Count}]"));
                    break;
                case "outputs":
                    if (member.Value.ValueKind != JsonValueKind.Array) throw new QueryException($"'outputs' must be an array of feature names, not {Kind(member.Value)}.");
                    if (member.Value.GetArrayLength() > MaxNames) throw new QueryException($"'outputs' names more than {MaxNames} features.");
                    foreach (var output in member.Value.EnumerateArray())
                    {
                        if (output.ValueKind != JsonValueKind.String) throw new QueryException($"'outputs' must hold feature names (strings), not {Kind(output)}.");
                        outputs.Add(output.GetString()!);
                    }
                    break;
                case "now":
                    if (member.Value.ValueKind != JsonValueKind.String
                        || !DateTime.TryParse(member.Value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
                        throw new QueryException("'now' must be a time as an ISO 8601 string, as \"2026-06-30T12:00:00Z\".");
                    now = parsed;
                    break;
                case "max_staleness":
                    staleness = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
                    foreach (var entry in Members(member.Value, "max_staleness"))
                    {
                        if (entry.Value.ValueKind != JsonValueKind.String) throw new QueryException($"The staleness of '{entry.Name}' must be a string (\"0\", \"30s\", \"5m\", \"infinite\").");
                        try
                        {
                            staleness[entry.Name] = Staleness.Parse(entry.Value.GetString()!);
                        }
                        catch (ArgumentException e)
                        {
                            throw new QueryException($"The staleness of '{entry.Name}': {e.Message.Split(" (Parameter", 2)[0]}");
                        }
                    }
                    break;
                default:
                    throw new QueryException($"The body has an unknown member '{Truncate(member.Name)}'; a query has inputs, outputs, now and max_staleness.");
            }
        }
        if (entities.Count == 0 || entities.Any(e => e.Count == 0))
            throw new QueryException(bulk ? "The body gives no inputs: {\"inputs\": [{\"user.id\": 1}, {\"user.id\": 2}], …}." : "The body gives no inputs: {\"inputs\": {\"user.id\": 42}, …}.");
        if (outputs.Count == 0) throw new QueryException("The body asks for no outputs: {\"outputs\": [\"user.total_spend\"], …}.");
        return new QueryRequest(entities, outputs, new QueryOptions { Now = now, MaxStaleness = staleness });
    }

    /// <summary>One entity's inputs: an object of feature name → number, string, boolean or null.</summary>
    private static Dictionary<string, object?> EntityInputs(JsonElement element, string name)
    {
        var inputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var input in Members(element, name))
        {
            if (input.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                throw new QueryException($"The input '{input.Name}' is {Kind(input.Value)}; an input is a number, a string, a boolean or null.");
            if (!inputs.TryAdd(input.Name, input.Value.Clone())) throw new QueryException($"The input '{input.Name}' is given twice.");
        }
        return inputs;
    }

    private static IEnumerable<JsonProperty> Members(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new QueryException($"'{name}' must be an object, not {Kind(element)}.");
        var members = element.EnumerateObject().ToList();
        if (members.Count > MaxNames) throw new QueryException($"'{name}' has more than {MaxNames} members.");
        return members;
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
