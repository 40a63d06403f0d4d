using System.Text.Json;

namespace Dsl.Cli.Engine;

/// <summary>Prints a query's answer (the JSON of <c>POST /v1/query</c>, from a server or made in process) as a table.</summary>
internal static class ResultTable
{
    public static void Print(JsonElement response, TextWriter output)
    {
        var errors = response.GetProperty("errors").EnumerateArray()
            .ToDictionary(e => e.GetProperty("feature").GetString()!, e => $"{e.GetProperty("exception_type").GetString()}: {e.GetProperty("message").GetString()}");
        var metadata = response.GetProperty("metadata");
        var features = metadata.GetProperty("features");
        var rows = response.GetProperty("values").EnumerateObject().Select(v =>
        {
            var provenance = features.GetProperty(v.Name);
            var source = provenance.GetProperty("source").GetString()!;
            if (provenance.GetProperty("age_ms").ValueKind == JsonValueKind.Number) source += $" ({provenance.GetProperty("age_ms").GetDouble():0.#} ms old)";
            var value = errors.TryGetValue(v.Name, out var error) ? $"error: {error}" : Text(v.Value);
            return (v.Name, value, source);
        }).ToList();
        var nameWidth = Math.Max("feature".Length, rows.Max(r => r.Name.Length));
        var valueWidth = Math.Max("value".Length, rows.Max(r => r.value.Length));
        output.WriteLine($"{"feature".PadRight(nameWidth)}  {"value".PadRight(valueWidth)}  source");
        foreach (var (name, value, source) in rows) output.WriteLine($"{name.PadRight(nameWidth)}  {value.PadRight(valueWidth)}  {source}");
        if (metadata.GetProperty("store_problem").GetString() is { } problem) output.WriteLine($"store: {problem}");
    }

    public static void PrintPlan(JsonElement response, TextWriter output)
    {
        var metadata = response.GetProperty("metadata");
        var timings = metadata.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("ms").GetDouble()).ToList();
        output.WriteLine("plan:");
        var i = 0;
        foreach (var line in metadata.GetProperty("plan").EnumerateArray())
        {
            output.WriteLine($"  {line.GetString()}{(i < timings.Count ? $" [{timings[i]:0.###} ms]" : "")}");
            i++;
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };
}
