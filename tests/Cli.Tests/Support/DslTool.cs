using System.Diagnostics;

namespace Dsl.Cli.Tests.Support;

/// <summary>The outcome of one run of the tool: exit code and both output streams.</summary>
internal sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs the built tool, <c>dotnet dsl.dll …</c>, as a separate process, as users and outside tests do.</summary>
internal static class DslTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string ToolPath => Path.Combine(AppContext.BaseDirectory, "dsl.dll");

    public static ToolRun Run(params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dsl {string.Join(' ', arguments)} did not finish within {Timeout}");
        }
        return new ToolRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Starts <c>dsl …</c> and kills it (with its children) once <paramref name="ready"/> holds, or after <paramref name="atMost"/>;
    /// true when it was killed, false when it had finished first.
    /// </summary>
    public static async Task<bool> RunAndKillWhenAsync(IEnumerable<string> arguments, Func<Task<bool>> ready, TimeSpan atMost)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        var deadline = Stopwatch.StartNew();
        while (!process.HasExited && deadline.Elapsed < atMost && !await ready()) await Task.Delay(2);
        var killed = false;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            killed = true;
        }
        await process.WaitForExitAsync();
        return killed;
    }

    /// <summary>How to start <c>dotnet dsl.dll …</c> with its output streams redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ToolPath);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["NO_COLOR"] = "1";
        return start;
    }
}
