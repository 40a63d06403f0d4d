using System.Net.Sockets;
using System.Text;

namespace Dsl.TestSupport.Servers;

/// <summary>
/// A redis-server of its own for tests (Debian's, installed with apt when missing): bound to 127.0.0.1 on a free port,
/// without persistence, started as a child process and stopped by its pid.
/// </summary>
public sealed class RedisServer : ChildProcessServer
{
    private const string Program = "/usr/bin/redis-server";

    private RedisServer() : base("dsl-redis-")
    {
    }

    /// <summary>The address a Redis client connects to.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Installs redis-server if needed and starts it (a fraction of a second).</summary>
    /// <exception cref="InvalidOperationException">It did not start or answer PING.</exception>
    public static RedisServer Start()
    {
        DebianPackages.Ensure("redis-server", Program);
        var server = new RedisServer();
        server.Resume();
        return server;
    }

    /// <inheritdoc/>
    public override void Resume()
    {
        var log = Path.Combine(WorkDirectory, "redis.log");
        StartProcess(Program,
        [
            "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no",
            "--dir", WorkDirectory, "--logfile", log, "--daemonize", "no",
        ]);
        if (!LocalPorts.WaitUntil(Pings, TimeSpan.FromSeconds(20)))
            throw new InvalidOperationException($"redis-server on port {Port} did not answer PING:\n{(File.Exists(log) ? File.ReadAllText(log) : "(no log)")}");
    }

    private bool Pings()
    {
        try
        {
            using var client = new TcpClient("127.0.0.1", Port);
            using var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
