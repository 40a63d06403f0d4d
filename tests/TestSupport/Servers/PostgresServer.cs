using System.Globalization;

namespace Dsl.TestSupport.Servers;

/// <summary>
/// A PostgreSQL 15 server of its own for tests: Debian's postgresql-15 (installed with apt when missing), a cluster made
/// by <c>initdb</c> in a temporary directory, started by <c>pg_ctl</c> on a free port of 127.0.0.1 with trust
/// authentication, and stopped by the pid in its <c>postmaster.pid</c>. As root, the server's programs run as the
/// <c>postgres</c> user (PostgreSQL refuses to run as root).
/// </summary>
public sealed class PostgresServer : LocalServer
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    private PostgresServer() : base("dsl-pg-")
    {
    }

    /// <summary>An Npgsql connection string for the <c>postgres</c> database as the <c>postgres</c> user, over TCP.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    /// <summary>The server process's pid while it runs, else null.</summary>
    public int? Pid
    {
        get
        {
            var file = Path.Combine(WorkDirectory, "data", "postmaster.pid");
            if (!File.Exists(file)) return null;
            var first = File.ReadLines(file).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && LocalPorts.IsAlive(pid) ? pid : null;
        }
    }

    /// <summary>Installs PostgreSQL 15 if needed, makes a cluster and starts it (about two seconds).</summary>
    /// <exception cref="InvalidOperationException">A step failed; its output is in the message.</exception>
    public static PostgresServer Start()
    {
        DebianPackages.Ensure("postgresql-15", Path.Combine(Bin, "pg_ctl"));
        var server = new PostgresServer();
        if (IsRoot) Check(DebianPackages.Run("chown", ["postgres:postgres", server.WorkDirectory]), "chown");
        Check(server.AsServerUser(Path.Combine(Bin, "initdb"), ["-N", "-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "--no-locale", "-E", "UTF8"]), "initdb");
        server.Resume();
        return server;
    }

    private string DataDirectory => Path.Combine(WorkDirectory, "data");

    /// <inheritdoc/>
    public override void Resume()
    {
        var options = $"-p {Port} -k {WorkDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200";
        Check(AsServerUser(Path.Combine(Bin, "pg_ctl"), ["-D", DataDirectory, "-l", Path.Combine(WorkDirectory, "server.log"), "-o", options, "-w", "-t", "60", "start"]), "pg_ctl start");
    }

    /// <summary>Stops the server (fast shutdown: connections are closed) and waits until it is gone.</summary>
    public override void Stop()
    {
        if (Pid is not { } pid) return;
        LocalPorts.Signal(pid, 2);
        // The server removes its pid file as its last act; waiting for the process itself could wait on a zombie
        // where nothing reaps orphans.
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!LocalPorts.WaitUntil(() => !File.Exists(pidFile) || !LocalPorts.IsAlive(pid), TimeSpan.FromSeconds(30)))
        {
            LocalPorts.Signal(pid, 9);
            File.Delete(pidFile);
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private (int, string) AsServerUser(string program, IEnumerable<string> arguments) =>
        IsRoot ? DebianPackages.Run("runuser", ["-u", "postgres", "--", program, .. arguments], workingDirectory: WorkDirectory) : DebianPackages.Run(program, arguments, workingDirectory: WorkDirectory);

    private static void Check((int ExitCode, string Output) result, string step)
    {
        if (result.ExitCode != 0) throw new InvalidOperationException($"PostgreSQL's {step} failed (exit {result.ExitCode}):\n{result.Output}");
    }
}
