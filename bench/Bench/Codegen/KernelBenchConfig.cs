using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Dsl.Bench.Codegen;

/// <summary>
/// Short in-process runs (the machine has 2 cores shared with other work): 2 warmups, 5 measured iterations,
/// memory diagnoser for allocations per operation.
/// </summary>
internal sealed class KernelBenchConfig : ManualConfig
{
    public KernelBenchConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5).WithId("short-inprocess"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Min);
        AddColumnProvider(DefaultColumnProviders.Instance);
        WithOption(ConfigOptions.DisableOptimizationsValidator, false);
    }
}
