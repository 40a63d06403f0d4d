using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Dsl.TestSupport.Servers;

/// <summary>
/// A redis-server of its own for tests (Debian's, installed with apt when missing): bound to 127.0.0.1 on a free port,
/// without persistence, started as a child process and stopped by its pid.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private const string Program = "/usr/bin/redis-server";
    private readonly string _directory;
    private Process? _process;
    private int _disposed;

    private RedisServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The address a Redis client connects to.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Installs redis-server if needed and starts it (a fraction of a second).</summary>
    /// <exception cref="InvalidOperationException">It did not start or answer PING.</exception>
    public static RedisServer Start()
    {
        DebianPackages.Ensure("redis-server", Program);
        var server = new RedisServer(Directory.CreateTempSubdirectory("dsl-redis-").FullName, LocalPorts.Free());
        server.Resume();
        return server;
    }

    /// <summary>Starts the server again after <see cref="Stop"/>, on the same port.</summary>
    public void Resume()
    {
        var start = new ProcessStartInfo(Program) { UseShellExecute = false, WorkingDirectory = _directory };
        foreach (var argument in new[]
                 {
                     "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no",
                     "--dir", _directory, "--logfile", Path.Combine(_directory, "redis.log"), "--daemonize", "no",
                 })
            start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        if (!LocalPorts.WaitUntil(Pings, TimeSpan.FromSeconds(20)))
        {
            var log = Path.Combine(_directory, "redis.log");
            throw new InvalidOperationException($"redis-server on port {Port} did not answer PING:\n{(File.Exists(log) ? File.ReadAllText(log) : "(no log)")}");
        }
    }

    /// <summary>Stops the server (SIGTERM) and waits for it to exit.</summary>
    public void Stop()
    {
        if (_process is not { } process) return;
        if (!process.HasExited)
        {
            LocalPorts.Signal(process.Id, 15);
            if (!process.WaitForExit(TimeSpan.FromSeconds(20))) process.Kill();
            process.WaitForExit();
        }
        process.Dispose();
        _process = null;
    }

    /// <summary>Stops the server and deletes its directory (once).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Stop();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temporary directory: nothing depends on it.
        }
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
