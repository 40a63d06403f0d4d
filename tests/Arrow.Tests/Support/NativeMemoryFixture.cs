using Dsl.ArrowExtensions.Memory;

namespace Dsl.ArrowExtensions.Tests.Support;

/// <summary>
/// Base of the fixtures that compare <see cref="NativeBlock.LiveBytes"/> before and after: blocks earlier tests left
/// to the collector are finalized before each test, so no finalizer frees one while a test counts.
/// </summary>
[NonParallelizable]
public abstract class NativeMemoryFixture
{
    [SetUp]
    public void FinishPendingFinalizers() => Collector.Settle();
}
