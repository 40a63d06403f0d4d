using System.CommandLine;
using System.Runtime.InteropServices;
using Dsl.Cli.Engine;
using Dsl.Engine.Server;

namespace Dsl.Cli.Commands;

/// <summary>
/// <c>dsl serve [--port N] [--store none|garnet|HOST:PORT] [--assembly PATH --resolvers DIR --source NAME=KIND:WHERE …]</c>: hosts the
/// engine (the sample shop on embedded DuckDB, or a user's, see <see cref="EngineOptions"/>; the online store on embedded Garnet unless
/// another is given) on 127.0.0.1 until interrupted (Ctrl+C, SIGINT or SIGTERM): <c>POST /v1/query</c>, <c>GET /health</c>.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "The loopback port (0: a free one)", DefaultValueFactory = _ => 8080 };
        var engine = new EngineOptions(defaultStore: "garnet");
        var command = new Command("serve", "Serve the feature engine over HTTP on 127.0.0.1: POST /v1/query, GET /health.") { port };
        engine.AddTo(command);
        command.SetAction(parsed => Run(parsed.GetValue(port), engine.Read(parsed)));
        return command;
    }

    private static int Run(int port, EngineSettings settings)
    {
        if (port is < 0 or > 65535) throw CliException.BadInput($"--port {port} is not a port (0 to 65535)");
        return Task.Run(async () =>
        {
            await using var hosted = await HostedEngine.StartAsync(settings);
            await using var server = await ListenAsync(hosted, port);
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true;
                stop.Cancel();
            });
            Console.Out.WriteLine($"dsl serve: listening on {server.Address} ({hosted.Description}); Ctrl+C stops");
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

    private static async Task<QueryServer> ListenAsync(HostedEngine hosted, int port)
    {
        try
        {
            return await QueryServer.StartAsync(hosted.Engine, new QueryServerOptions { Port = port });
        }
        catch (IOException e)
        {
            throw CliException.BadInput($"cannot listen on 127.0.0.1:{port}: {e.Message}", e);
        }
    }
}
