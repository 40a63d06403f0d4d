using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Dsl.TestSupport.Servers;

namespace Dsl.Cli.Tests.Support;

/// <summary>
/// A <c>dsl serve --port 0 …</c> of a test's own, as a separate process: started, waited for until it prints the address it listens on
/// (127.0.0.1, a port the system chose), and stopped with SIGINT as Ctrl+C would (SIGTERM when this process inherited SIGINT as ignored; killed by its pid if it does not stop).
/// </summary>
internal sealed partial class ServeProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly Process _process;

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>The server's base address, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The line the server printed when it started listening.</summary>
    public string Banner { get; private init; } = "";

    public static ServeProcess Start(params string[] arguments)
    {
        var process = Process.Start(DslTool.StartInfo(["serve", "--port", "0", .. arguments]))!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr) stderr.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
        var started = Task.Run(async () =>
        {
            var seen = new StringBuilder();
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (Listening().Match(line) is { Success: true } match) return (Line: line, Match: match, Seen: "");
                seen.AppendLine(line);
            }
            return (Line: (string?)null, Match: (Match?)null, Seen: seen.ToString());
        });
        if (!started.Wait(StartTimeout) || started.Result.Match is not { } match)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            string errors;
            lock (stderr) errors = stderr.ToString();
            process.Dispose();
            throw new AssertionException($"dsl serve {string.Join(' ', arguments)} did not start listening:\nstdout:\n{(started.IsCompleted ? started.Result.Seen : "(still waiting)")}\nstderr:\n{errors}");
        }
        return new ServeProcess(process, new Uri(match.Groups[1].Value)) { Banner = started.Result.Line! };
    }

    /// <summary>Sends SIGINT and waits for the server to exit; its exit code.</summary>
    public int Stop()
    {
        LocalPorts.Signal(_process.Id, InheritsIgnoredInterrupt() ? 15 : 2);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30))) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>
    /// Whether this process ignores SIGINT (a test run started in the background by a non-interactive shell does): the server
    /// inherits that, as POSIX wants, and .NET then leaves Ctrl+C alone. Its clean stop is then checked with SIGTERM, which
    /// <c>dsl serve</c> handles the same way.
    /// </summary>
    private static bool InheritsIgnoredInterrupt()
    {
        var ignored = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return ignored is not null && (Convert.ToUInt64(ignored["SigIgn:".Length..].Trim(), 16) & (1UL << (2 - 1))) != 0;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }

    [GeneratedRegex(@"^dsl serve: listening on (http://127\.0\.0\.1:\d+/) ")]
    private static partial Regex Listening();
}
