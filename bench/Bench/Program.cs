using BenchmarkDotNet.Running;

namespace Dsl.Bench;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is ["runtime-cold", ..]) return Runtime.RuntimeColdStart.Run();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
