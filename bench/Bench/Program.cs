namespace Dsl.Bench;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "side-by-side") return SideBySide.SideBySideRunner.Run(args[1..]);
        Console.Error.WriteLine("bench: no benchmarks yet");
        return 2;
    }
}
