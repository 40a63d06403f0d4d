using System.Runtime.InteropServices;

namespace Dsl.ArrowExtensions.Memory;

/// <summary>
/// A native allocation aligned to <see cref="Alignment"/> bytes and padded with zeros to a multiple of it, as the
/// Arrow format recommends so that SIMD loads of a whole last vector stay inside the allocation. Blocks of 4 MiB and
/// more are whole 2 MiB huge pages (<see cref="HugePages"/>) and go back to <see cref="LargeBlockPool"/> when freed,
/// so that evaluating batch after batch reuses warm memory.
/// </summary>
internal sealed unsafe class NativeBlock : NativeRegion
{
    /// <summary>The alignment and padding granularity in bytes.</summary>
    public const int Alignment = 64;

    private static long s_liveBytes;
    private static long s_liveBlocks;

    private readonly long _capacity;
    private long _collectorPressure;

    private NativeBlock(nint address, int length, long capacity)
        : base(address, length)
    {
        _capacity = capacity;
    }

    /// <summary>Bytes currently allocated by all blocks (for leak checks in tests and diagnostics).</summary>
    public static long LiveBytes => Interlocked.Read(ref s_liveBytes);

    /// <summary>Blocks currently alive.</summary>
    public static long LiveBlocks => Interlocked.Read(ref s_liveBlocks);

    /// <summary>The allocated size: <see cref="NativeRegion.Length"/> rounded up to a multiple of 64 (or of 2 MiB).</summary>
    public long Capacity => _capacity;

    /// <summary>
    /// Allocates at least <paramref name="byteLength"/> usable bytes (the region's length is the whole padded
    /// capacity). The padding is always zero; the first <paramref name="byteLength"/> bytes are zero when
    /// <paramref name="zeroFill"/> is true.
    /// </summary>
    /// <exception cref="OutOfMemoryException">The allocation failed, or is larger than an Arrow buffer can be.</exception>
    public static NativeBlock Allocate(long byteLength, bool zeroFill = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        var capacity = PaddedLength(byteLength);
        var hugePages = HugePages.Applies(capacity);
        if (hugePages) capacity = checked((capacity + HugePages.PageSize - 1) & ~(long)(HugePages.PageSize - 1));
        if (capacity > int.MaxValue)
        {
            throw new OutOfMemoryException($"A buffer of {byteLength} bytes is larger than an Arrow buffer can be (2 GiB).");
        }

        byte* pointer;
        if (hugePages && LargeBlockPool.TryRent(capacity, out var reused))
        {
            pointer = (byte*)reused;
        }
        else
        {
            pointer = (byte*)NativeMemory.AlignedAlloc((nuint)capacity, (nuint)(hugePages ? HugePages.PageSize : Alignment));
            if (pointer is null) throw new OutOfMemoryException($"Could not allocate {capacity} bytes of native memory.");
            if (hugePages) HugePages.Advise((nint)pointer, capacity);
        }

        var cleared = zeroFill ? 0 : byteLength;
        NativeMemory.Clear(pointer + cleared, (nuint)(capacity - cleared));
        Interlocked.Add(ref s_liveBytes, capacity);
        Interlocked.Increment(ref s_liveBlocks);
        return new NativeBlock((nint)pointer, (int)capacity, capacity);
    }

    /// <summary><paramref name="byteLength"/> rounded up to a multiple of <see cref="Alignment"/>, at least one block.</summary>
    public static long PaddedLength(long byteLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        if (byteLength > long.MaxValue - Alignment) throw new OutOfMemoryException($"A buffer of {byteLength} bytes cannot be allocated.");
        return Math.Max(Alignment, (byteLength + Alignment - 1) & ~(long)(Alignment - 1));
    }

    /// <summary>
    /// Leaves this block to the garbage collector: it is freed by the finalizer once no array references it, and its
    /// size is reported as memory pressure so that the collector runs in time.
    /// </summary>
    public void DetachToCollector()
    {
        if (Interlocked.Exchange(ref _collectorPressure, _capacity) == 0) GC.AddMemoryPressure(_capacity);
    }

    /// <inheritdoc />
    protected override void Free(bool finalizing)
    {
        if (Interlocked.Exchange(ref _collectorPressure, 0) is > 0 and var pressure) GC.RemoveMemoryPressure(pressure);
        var address = (void*)UncheckedAddress;
        if (!HugePages.Applies(_capacity) || !LargeBlockPool.TryReturn((nint)address, _capacity)) NativeMemory.AlignedFree(address);
        Interlocked.Add(ref s_liveBytes, -_capacity);
        Interlocked.Decrement(ref s_liveBlocks);
    }
}
