using System.Diagnostics;
using Dsl.ArrowExtensions.Ipc;
using Dsl.Runtime;

namespace Dsl.Bench.Runtime;

/// <summary>
/// <c>bench runtime-memory [rows]</c>: the peak memory of evaluating the reference <c>Total</c> resolver over an
/// Arrow IPC file of the reference data read memory-mapped (written first, by a child process, when absent). The
/// bound to meet is the file's size + the output buffers + 64 MB: the input must be mapped, not copied.
/// </summary>
internal static class RuntimeMemory
{
    public static int Run(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000_000;
        var path = Path.Combine(Path.GetTempPath(), $"dsl-reference-{rows}.arrow");
        if (!File.Exists(path)) return WriteInChildProcess(rows, path);

        long fileBytes = new FileInfo(path).Length;
        var total = FunctionCompiler.Compile((Func<double, double?, double?, bool, double>)ReferenceFeatures.Total);
        var options = new EvaluateOptions { Bindings = ReferenceFeatures.TotalBindings };
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        long before = process.PeakWorkingSet64;
        var clock = Stopwatch.StartNew();
        long outputBytes = 0, evaluated = 0, nulls = 0;
        using (var reader = MappedArrowReader.Open(path))
        {
            while (reader.ReadNextRecordBatch() is { } batch)
            {
                using (batch)
                using (var result = total.Evaluate(batch, options))
                {
                    outputBytes += result.Values.Data.Buffers.Sum(b => (long)b.Length);
                    evaluated += batch.Length;
                    nulls += result.Values.NullCount;
                }
            }
        }
        clock.Stop();
        process.Refresh();
        long peak = process.PeakWorkingSet64;
        long bound = fileBytes + outputBytes + 64L * 1024 * 1024;
        Console.WriteLine($"rows={evaluated} nulls={nulls} mode={total.Mode} ms={clock.Elapsed.TotalMilliseconds:F0}");
        Console.WriteLine($"file={Mb(fileBytes)} output={Mb(outputBytes)} peak working set={Mb(peak)} (before reading {Mb(before)}) " +
            $"bound file+output+64MB={Mb(bound)} -> {(peak <= bound ? "within" : "OVER")}");
        return peak <= bound ? 0 : 1;
    }

    /// <summary>Writes the file from another process, so building the data in memory does not count toward the peak.</summary>
    private static int WriteInChildProcess(int rows, string path)
    {
        if (Environment.GetEnvironmentVariable("DSL_BENCH_WRITE") == "1")
        {
            using var batch = ReferenceBatch.Create(rows);
            using (var writer = ArrowBatchWriter.Create(path + ".tmp", batch.Schema)) writer.Write(batch);
            File.Move(path + ".tmp", path, overwrite: true);
            return 0;
        }
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        var commandLine = Environment.GetCommandLineArgs();
        // Under the `dotnet` host the assembly is the first argument; under the app host it is the process itself.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(commandLine[0]);
        foreach (var arg in commandLine.Skip(1)) start.ArgumentList.Add(arg);
        start.Environment["DSL_BENCH_WRITE"] = "1";
        using (var writer = Process.Start(start)!) writer.WaitForExit();
        start.Environment.Remove("DSL_BENCH_WRITE");
        using var measure = Process.Start(start)!;
        measure.WaitForExit();
        return measure.ExitCode;
    }

    private static string Mb(long bytes) => $"{bytes / (1024.0 * 1024):F0} MB";
}
