using System.CommandLine;
using Dsl.Cli.Engine;
using Dsl.Engine.Server;

namespace Dsl.Cli.Commands;

/// <summary>
/// <c>dsl serve [--port N] [--redis HOST:PORT]</c>: hosts the engine (the sample shop on embedded DuckDB, with the online store on
/// embedded Garnet unless a Redis address is given) on 127.0.0.1 until interrupted: <c>POST /v1/query</c>, <c>GET /health</c>.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "The loopback port (0: a free one)", DefaultValueFactory = _ => 8080 };
        var redis = new Option<string?>("--redis") { Description = "A Redis server for the online store; embedded Garnet when absent", HelpName = "HOST:PORT" };
        var users = new Option<int>("--users") { Description = "How many users the sample data has", DefaultValueFactory = _ => 1_000 };
        var command = new Command("serve", "Serve the feature engine over HTTP on 127.0.0.1: POST /v1/query, GET /health.") { port, redis, users };
        command.SetAction(parsed => Run(parsed.GetValue(port), parsed.GetValue(redis), parsed.GetValue(users)));
        return command;
    }

    private static int Run(int port, string? redis, int users)
    {
        if (port is < 0 or > 65535) throw CliException.BadInput($"--port {port} is not a port (0 to 65535)");
        return Task.Run(async () =>
        {
            await using var sample = await SampleEngine.StartAsync(users, store: true, redis);
            await using var server = await QueryServer.StartAsync(sample.Engine, new QueryServerOptions { Port = port });
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            Console.Out.WriteLine($"dsl serve: listening on {server.Address} ({sample.Description}); Ctrl+C stops");
            Console.Out.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            return ExitCodes.Success;
        }).GetAwaiter().GetResult();
    }
}
