using System.Globalization;
using System.Text.Json;
using Dsl.Engine.Graph;

namespace Dsl.Engine.Server;

/// <summary>
/// The body of <c>POST /v1/query</c>, read strictly: <c>{"inputs": {"user.id": 42}, "outputs": ["user.total_spend"],
/// "now": "2026-06-30T12:00:00Z", "max_staleness": {"user.total_spend": "5m"}}</c>. Anything else is a
/// <see cref="QueryException"/> naming the member and the problem (a 400, never a 500).
/// </summary>
public sealed record QueryRequest(IReadOnlyDictionary<string, object?> Inputs, IReadOnlyList<string> Outputs, QueryOptions Options)
{
    /// <summary>The deepest nesting a body may have.</summary>
    public const int MaxDepth = 16;

    /// <summary>At most this many inputs, outputs or staleness overrides.</summary>
    public const int MaxNames = 1_000;

    /// <exception cref="QueryException">The body is not JSON, or not a query.</exception>
    public static QueryRequest Parse(ReadOnlyMemory<byte> body)
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
                return Read(document.RootElement);
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json refuses to decode some valid JSON text as .NET strings (a lone surrogate escape, "\ud800").
                throw new QueryException($"The body holds a string that cannot be read: {e.Message}");
            }
        }
    }

    private static QueryRequest Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new QueryException($"The body must be a JSON object, not {Kind(root)}.");
        var inputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        var outputs = new List<string>();
        DateTime? now = null;
        Dictionary<string, TimeSpan>? staleness = null;
        foreach (var member in root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "inputs":
                    foreach (var input in Members(member.Value, "inputs"))
                    {
                        if (input.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                            throw new QueryException($"The input '{input.Name}' is {Kind(input.Value)}; an input is a number, a string, a boolean or null.");
                        if (!inputs.TryAdd(input.Name, input.Value.Clone())) throw new QueryException($"The input '{input.Name}' is given twice.");
                    }
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
        if (inputs.Count == 0) throw new QueryException("The body gives no inputs: {\"inputs\": {\"user.id\": 42}, …}.");
        if (outputs.Count == 0) throw new QueryException("The body asks for no outputs: {\"outputs\": [\"user.total_spend\"], …}.");
        return new QueryRequest(inputs, outputs, new QueryOptions { Now = now, MaxStaleness = staleness });
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
