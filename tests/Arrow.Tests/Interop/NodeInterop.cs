using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Dsl.ArrowExtensions.Tests.Interop;

/// <summary>
/// Runs interop.mjs (the apache-arrow side) with Node.js. The folder and its node_modules come from the test
/// project (npm ci runs during the build); a missing Node.js fails the tests with a clear message.
/// </summary>
internal static class NodeInterop
{
    public static string Directory { get; } =
        typeof(NodeInterop).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "InteropDirectory").Value!;

    /// <summary>Writes every apache-arrow case into <paramref name="outputDirectory"/>.</summary>
    public static void Write(string outputDirectory) => Run("write", outputDirectory);

    /// <summary>What apache-arrow reads from every <c>*.here.*</c> and <c>*.sliced.*</c> file of <paramref name="directory"/>, by file name.</summary>
    public static JsonObject ReadAll(string directory) => JsonNode.Parse(Run("read-all", directory))!.AsObject();

    private static string Run(string command, string argument)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("interop.mjs");
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception exception)
        {
            Assert.Fail($"The Arrow interop tests need Node.js ('node' on the PATH) to run apache-arrow: {exception.Message}");
            throw;
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill();
                Assert.Fail($"node interop.mjs {command} {argument} did not finish in 2 minutes.");
            }

            if (process.ExitCode != 0)
            {
                Assert.Fail($"node interop.mjs {command} {argument} failed ({process.ExitCode}):\n{error.Result}");
            }

            return output;
        }
    }
}
