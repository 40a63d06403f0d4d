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
/// with <c>--server</c> it asks a running <c>dsl serve</c>. Exits 2 for a query the engine refuses.
/// </summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var inputs = new Option<string[]>("--in") { Description = "A given feature, entity.feature=value (user.id=42)", HelpName = "FEATURE=VALUE", Required = true, AllowMultipleArgumentsPerToken = false };
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
        var body = RequestBody(inputs, outputs, now);
        using var response = server is null ? InProcess(body, engine) : Remote(server, body);
        ResultTable.Print(response.RootElement, Console.Out);
        if (explain) ResultTable.PrintPlan(response.RootElement, Console.Out);
        return ExitCodes.Success;
    }

    /// <summary>The request as the server takes it; values stay text, read as each feature's type by the engine.</summary>
    private static byte[] RequestBody(string[] inputs, string[] outputs, string? now)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("inputs");
            foreach (var input in inputs)
            {
                var equals = input.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0) throw CliException.BadInput($"--in '{input}' is not FEATURE=VALUE (user.id=42)");
                json.WriteString(input[..equals].Trim(), input[(equals + 1)..]);
            }
            json.WriteEndObject();
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
                var request = QueryRequest.Parse(body);
                var result = await hosted.Engine.QueryAsync(request.Inputs, request.Outputs, request.Options);
                using var buffer = new MemoryStream();
                using (var json = new Utf8JsonWriter(buffer)) QueryResponse.Write(json, result);
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
            response = client.PostAsync("v1/query", new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } }).GetAwaiter().GetResult();
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
