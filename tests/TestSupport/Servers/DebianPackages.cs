using System.Diagnostics;

namespace Dsl.TestSupport.Servers;

/// <summary>
/// Installs Debian packages the tests need (postgresql-15, redis-server, nats-server) with apt when a file they provide is
/// missing, once per machine: a file lock serializes test assemblies running in parallel, and each checks again after
/// taking it, so only the first installs.
/// </summary>
public static class DebianPackages
{
    private const string LockPath = "/tmp/dsl-tests-apt.lock";

    /// <summary>Installs <paramref name="package"/> unless <paramref name="providedFile"/> exists.</summary>
    /// <exception cref="InvalidOperationException">apt-get failed (its output is in the message).</exception>
    public static void Ensure(string package, string providedFile)
    {
        if (File.Exists(providedFile)) return;
        using var held = TakeLock();
        if (File.Exists(providedFile)) return;
        var install = Run("apt-get", ["install", "-y", "--no-install-recommends", package]);
        if (install.ExitCode != 0 || !File.Exists(providedFile))
        {
            // The package lists may be missing or stale on a fresh machine.
            var update = Run("apt-get", ["update"]);
            install = Run("apt-get", ["install", "-y", "--no-install-recommends", package]);
            if (install.ExitCode != 0 || !File.Exists(providedFile))
                throw new InvalidOperationException($"Installing {package} with apt-get failed (exit {install.ExitCode}):\n{update.Output}\n{install.Output}");
        }
    }

    private static FileStream TakeLock()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(500);
            }
        }
    }

    /// <summary>Runs a program to its end with the given arguments; its exit code and its output and errors together.</summary>
    public static (int ExitCode, string Output) Run(string program, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + errors.Result);
    }
}
