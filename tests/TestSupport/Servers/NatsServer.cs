using System.Diagnostics;

namespace Dsl.TestSupport.Servers;

/// <summary>
/// A nats-server with JetStream of its own for tests (Debian's, installed with apt when missing): bound to 127.0.0.1 on a free
/// port, its store in a temporary directory (kept across <see cref="Stop"/> and <see cref="Resume"/>, so streams survive a
/// restart), started as a child process and stopped by its pid.
/// </summary>
public sealed class NatsServer : IDisposable
{
    private const string Program = "/usr/sbin/nats-server";
    private readonly string _directory;
    private Process? _process;
    private int _disposed;

    private NatsServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The URL a NATS client connects to.</summary>
    public string Url => $"nats://127.0.0.1:{Port}";

    /// <summary>Installs nats-server if needed and starts it (about 0.1 s).</summary>
    /// <exception cref="InvalidOperationException">It did not start or accept connections.</exception>
    public static NatsServer Start()
    {
        DebianPackages.Ensure("nats-server", Program);
        var server = new NatsServer(Directory.CreateTempSubdirectory("dsl-nats-").FullName, LocalPorts.Free());
        server.Resume();
        return server;
    }

    /// <summary>Starts the server again after <see cref="Stop"/>, on the same port and store.</summary>
    public void Resume()
    {
        var start = new ProcessStartInfo(Program) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-js", "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sd", _directory })
            start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException("nats-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!LocalPorts.WaitUntil(() => LocalPorts.Accepts(Port), TimeSpan.FromSeconds(20)))
            throw new InvalidOperationException($"nats-server on port {Port} did not accept connections.");
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

    /// <summary>Stops the server and deletes its store (once).</summary>
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
}
