using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dsl.Engine.Server;

/// <summary>
/// Hosts a <see cref="FeatureEngine"/> over HTTP (ASP.NET Core minimal API, Kestrel) on a loopback port: 127.0.0.1 only, never
/// another address. <c>POST /v1/query</c> answers queries, <c>POST /v1/query/bulk</c> one query for many entities; <c>GET /health</c> says the engine is up.
/// </summary>
public sealed class QueryServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private QueryServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's base address (<c>http://127.0.0.1:PORT/</c>).</summary>
    public Uri Address { get; }

    /// <summary>Starts the server and returns once it listens.</summary>
    public static async Task<QueryServer> StartAsync(FeatureEngine engine, QueryServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        options ??= new QueryServerOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Stopping waits at most 5 s for queries in flight (they take milliseconds), not the host's default 30 s: Ctrl+C ends
        // `dsl serve` promptly even when a client holds a request open.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.AddServerHeader = false;
            // The endpoint reads the body with its own limit and answers 400 past it; Kestrel's own limit only backs it up.
            kestrel.Limits.MaxRequestBodySize = Math.Max(options.MaxBodyBytes * 4L, 1 << 20);
        });
        var app = builder.Build();
        var endpoints = new QueryEndpoints(engine, options);
        app.MapPost("/v1/query", (Func<HttpContext, Task<IResult>>)endpoints.QueryAsync);
        app.MapPost("/v1/query/bulk", (Func<HttpContext, Task<IResult>>)endpoints.QueryBulkAsync);
        app.MapGet("/health", (Func<IResult>)endpoints.Health);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Urls.Select(u => new Uri(u)).First();
        return new QueryServer(app, new Uri($"http://127.0.0.1:{address.Port}/"));
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (the <c>dsl serve</c> loop).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops listening and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
