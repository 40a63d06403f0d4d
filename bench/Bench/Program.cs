using BenchmarkDotNet.Running;

namespace Dsl.Bench;

internal static class Program
{
    /// <summary>
    /// <c>side-by-side ...</c> runs the kernel comparison; anything else goes to BenchmarkDotNet's switcher
    /// (e.g. <c>--filter '*Ipc*'</c>), so every benchmark class in this assembly is reachable.
    /// </summary>
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "side-by-side") return SideBySide.SideBySideRunner.Run(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
