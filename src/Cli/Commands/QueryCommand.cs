using System.CommandLine;
using System.Net;
using System.Text;
using System.Text.Json;
using Dsl.Cli.Engine;
using Dsl.Engine;
using Dsl.Engine.Server;

namespace Dsl.Cli.Commands;

/// <summary>
/// <c>dsl query --in user.id=42 --out user.total_spend [--out …] [--explain] [--server URL]</c>: asks the engine for features and
/// prints them as a table (value, and whether it came from the store, a resolver or a computation). In process it runs the sample
/// shop on embedded DuckDB, or a user's engine (<see cref="EngineOptions"/>: <c>--assembly</c>, <c>--resolvers</c>, <c>--source</c>);
/// with <c>--server</c> it asks a running <c>dsl serve</c>. A feature given several times (<c>--in user.id=1 --in user.id=2</c>) asks for
/// several entities in one query (<c>/v1/query/bulk</c>), printed one table each. Exits 2 for a query the engine refuses.
/// </summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var inputs = new Option<string[]>("--in") { Description = "A given feature, entity.feature=value (user.id=42); given again, another entity (--in user.id=1 --in user.id=2)", HelpName = "FEATURE=VALUE", Required = true, AllowMultipleArgumentsPerToken = false };
        var outputs = new Option<string[]>("--out") { Description = "A feature to answer (user.total_spend)", HelpName = "FEATURE", Required = true };
        var explain = new Option<bool>("--explain") { Description = "Also print the plan: each step with its resolver, its source and whether it is compiled" };
        var server = new Option<string?>("--server") { Description = "Ask this server (http://127.0.0.1:PORT) instead of running the engine in process", HelpName = "URL" };
        var now = new Option<string?>("--now") { Description = "The time to compute for (ISO 8601); the clock's by default", HelpName = "TIME" };
        var engine = new EngineOptions(defaultStore: "none");
        var command = new Command("query", "Ask the feature engine for features of one entity and print them as a table.")
        {
            inputs, outputs, explain, server, now,
        };
        engine.AddTo(command);
        command.SetAction(parsed => Run(parsed.GetRequiredValue(inputs), parsed.GetRequiredValue(outputs), parsed.GetValue(explain), parsed.GetValue(server),
            parsed.GetValue(now), engine.Read(parsed)));
        return command;
    }

    private static int Run(string[] inputs, string[] outputs, bool explain, string? server, string? now, EngineSettings engine)
    {
        var entities = Entities(inputs);
        var body = RequestBody(entities, outputs, now);
        using var response = server is null ? InProcess(body, engine) : Remote(server, body);
        var results = response.RootElement.GetProperty("results").EnumerateArray().ToList();
        for (var i = 0; i < results.Count; i++)
        {
            if (results.Count > 1) Console.Out.WriteLine($"{(i == 0 ? "" : "\n")}{string.Join(", ", entities[i].Select(e => $"{e.Feature}={e.Value}"))}:");
            ResultTable.Print(results[i], Console.Out);
        }
        if (explain) ResultTable.PrintPlan(results[0], Console.Out);
        return ExitCodes.Success;
    }

    /// <summary>
    /// The entities the <c>--in</c> options give: a feature given once is given to every entity; one given n times makes n entities,
    /// the i-th value the i-th entity's (<c>--in user.id=1 --in user.id=2</c>: two users). Every repeated feature must repeat as often.
    /// </summary>
    private static List<List<(string Feature, string Value)>> Entities(string[] inputs)
    {
        var given = new List<(string Feature, string Value)>();
        foreach (var input in inputs)
        {
            var equals = input.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw CliException.BadInput($"--in '{input}' is not FEATURE=VALUE (user.id=42)");
            given.Add((input[..equals].Trim(), input[(equals + 1)..]));
        }
        var features = given.GroupBy(g => g.Feature, StringComparer.OrdinalIgnoreCase).ToList();
        var count = features.Max(f => f.Count());
        if (features.FirstOrDefault(f => f.Count() != 1 && f.Count() != count) is { } uneven)
            throw CliException.BadInput($"--in gives {uneven.Key} {uneven.Count()} times but another feature {count} times; "
                                        + "a feature given more than once gives one value per entity, so repeated features repeat equally often");
        return [.. Enumerable.Range(0, count).Select(i => features.Select(f => f.Count() == 1 ? f.First() : f.ElementAt(i)).ToList())];
    }

    /// <summary>The request as <c>/v1/query/bulk</c> takes it; values stay text, read as each feature's type by the engine.</summary>
    private static byte[] RequestBody(List<List<(string Feature, string Value)>> entities, string[] outputs, string? now)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("inputs");
            foreach (var entity in entities)
            {
                json.WriteStartObject();
                foreach (var (feature, value) in entity) json.WriteString(feature, value);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("outputs");
            foreach (var output in outputs) json.WriteStringValue(output);
            json.WriteEndArray();
            if (now is not null) json.WriteString("now", now);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static JsonDocument InProcess(byte[] body, EngineSettings settings)
    {
        return Task.Run(async () =>
        {
            await using var hosted = await HostedEngine.StartAsync(settings);
            try
            {
                var request = QueryRequest.ParseBulk(body);
                var results = await hosted.Engine.QueryManyAsync(request.Entities, request.Outputs, request.Options);
                using var buffer = new MemoryStream();
                using (var json = new Utf8JsonWriter(buffer)) QueryResponse.WriteMany(json, results);
                return JsonDocument.Parse(buffer.ToArray());
            }
            catch (QueryException e)
            {
                throw CliException.BadInput(e.Message);
            }
        }).GetAwaiter().GetResult();
    }

    private static JsonDocument Remote(string server, byte[] body)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            throw CliException.BadInput($"--server '{server}' is not an http URL (http://127.0.0.1:8080)");
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        HttpResponseMessage response;
        try
        {
            response = client.PostAsync("v1/query/bulk", new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } }).GetAwaiter().GetResult();
        }
        catch (HttpRequestException e)
        {
            throw CliException.BadInput($"cannot reach the server at {address}: {e.Message}", e);
        }
        using (response)
        {
            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                using var problem = JsonDocument.Parse(text);
                throw CliException.BadInput(problem.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString()! : text);
            }
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The server answered {(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(Encoding.UTF8.GetBytes(text));
        }
    }
}
