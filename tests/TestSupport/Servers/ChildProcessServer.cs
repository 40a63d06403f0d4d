using System.Diagnostics;

namespace Dsl.TestSupport.Servers;

/// <summary>A <see cref="LocalServer"/> that runs in the foreground as a child process of the tests, stopped by its pid.</summary>
public abstract class ChildProcessServer(string directoryPrefix) : LocalServer(directoryPrefix)
{
    private Process? _process;

    /// <summary>Starts <paramref name="program"/> in the server's directory; its output is read and dropped so it never blocks on a full pipe.</summary>
    protected void StartProcess(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, WorkingDirectory = WorkDirectory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{Path.GetFileName(program)} did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Stops the server (SIGTERM, then a kill after 20 s) and waits for it to exit.</summary>
    public override void Stop()
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
}
