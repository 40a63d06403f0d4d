using System.Net;
using System.Net.Sockets;
using Dsl.Engine.Store.InProcess;

namespace Dsl.Engine.Store;

/// <summary>
/// A Garnet server (a Redis-protocol store written in .NET) hosted in this process on a free loopback port: the online
/// store a fresh machine runs with, no server to install. Speaks to any Redis client on its port, and to this process
/// through in-process sessions (<see cref="Sessions"/>) that skip the socket: <see cref="RedisOnlineStore"/> uses those.
/// </summary>
/// <remarks>
/// Garnet's <c>Dispose</c> must run exactly once (a second call aborts the process inside its epoch system), so disposal
/// is guarded here. The first server of a process takes one to two seconds to construct.
/// </remarks>
public sealed class EmbeddedGarnet : IDisposable
{
    private readonly GarnetHost _server;
    private int _disposed;

    private EmbeddedGarnet(GarnetHost server, int port)
    {
        _server = server;
        Port = port;
        Sessions = new GarnetSessions(server);
    }

    /// <summary>Sessions with this server inside the process: a command runs on the caller's thread, with no socket.</summary>
    internal GarnetSessions Sessions { get; }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The address a Redis client connects to (<c>127.0.0.1:port</c>).</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Starts a server on a free port of 127.0.0.1 (trying another port if the one found is taken meanwhile).</summary>
    /// <exception cref="OnlineStoreUnavailableException">No server could be started.</exception>
    public static EmbeddedGarnet Start()
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            GarnetHost? server = null;
            try
            {
                // -q: quiet, no version banner and text art on standard output (dsl serve's first line is its address).
                server = new GarnetHost(["--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q"]);
                server.Start();
                return new EmbeddedGarnet(server, port);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                server?.Dispose();
                last = e;
            }
        }
        throw new OnlineStoreUnavailableException("garnet (embedded)", $"could not start on a loopback port: {last?.Message}", last);
    }

    /// <summary>A port of 127.0.0.1 that nothing listens on now (the OS's choice).</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Closes the in-process sessions (after the commands running on them), then stops the server; once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Sessions.Dispose();
        _server.Dispose();
    }
}
