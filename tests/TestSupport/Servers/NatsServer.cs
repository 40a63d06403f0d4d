using System.Globalization;

namespace Dsl.TestSupport.Servers;

/// <summary>
/// A nats-server with JetStream of its own for tests (Debian's, installed with apt when missing): bound to 127.0.0.1 on a free
/// port, its store in a temporary directory (kept across <see cref="LocalServer.Stop"/> and <see cref="Resume"/>, so streams
/// survive a restart), started as a child process and stopped by its pid.
/// </summary>
public sealed class NatsServer : ChildProcessServer
{
    private const string Program = "/usr/sbin/nats-server";

    private NatsServer() : base("dsl-nats-")
    {
    }

    /// <summary>The URL a NATS client connects to.</summary>
    public string Url => $"nats://127.0.0.1:{Port}";

    /// <summary>Installs nats-server if needed and starts it (about 0.1 s).</summary>
    /// <exception cref="InvalidOperationException">It did not start or accept connections.</exception>
    public static NatsServer Start()
    {
        DebianPackages.Ensure("nats-server", Program);
        var server = new NatsServer();
        server.Resume();
        return server;
    }

    /// <inheritdoc/>
    public override void Resume()
    {
        StartProcess(Program, ["-js", "-a", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-sd", WorkDirectory]);
        if (!LocalPorts.WaitUntil(() => LocalPorts.Accepts(Port), TimeSpan.FromSeconds(20)))
            throw new InvalidOperationException($"nats-server on port {Port} did not accept connections.");
    }
}
