namespace Dsl.ArrowExtensions.Tests.Support;

/// <summary>Runs the garbage collector to completion, finalizers included, for tests of what the collector frees.</summary>
internal static class Collector
{
    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
