namespace Dsl.Bench;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "side-by-side") return SideBySide.SideBySideRunner.Run(args[1..]);
        if (args.Length > 0 && args[0] == "w5-parts") return SideBySide.W5Parts.Run(args[1..]);
        if (args.Length > 0 && args[0] == "w1-layout") return SideBySide.W1Layout.Run(args[1..]);
        if (args.Length > 0 && args[0] == "w3-parts") return SideBySide.W3Parts.Run(args[1..]);
        if (args.Length > 0 && args[0] == "runtime-cold") return Runtime.RuntimeColdStart.Run();
        if (args.Length > 0 && args[0] == "runtime-memory") return Runtime.RuntimeMemory.Run(args[1..]);
        if (args.Length > 0 && args[0] == "w6") return Offline.W6Benchmark.Run(args[1..]);
        if (args.Length > 0 && args[0] == "stream") return Streams.StreamBenchmark.Run(args[1..]);
        if (args.Length > 0 && args[0] == "stream-parts") { Streams.StreamParts.Run(args[1]); return 0; }
        if (args.Length > 0 && args[0] == "engine-latency") return Engine.EngineLatency.Run(args[1..]);
        // BenchmarkDotNet classes (e.g. --filter '*TotalKernel*'); see docs/performance.md for the commands.
        var summaries = BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    }
}
