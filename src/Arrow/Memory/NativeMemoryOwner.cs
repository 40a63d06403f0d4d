using System.Runtime.InteropServices;

namespace Dsl.Arrow.Memory;

/// <summary>
/// Native memory aligned to <see cref="Alignment"/> bytes and padded with zeros to a multiple of it, as the
/// Arrow format recommends so that SIMD loads of a whole last vector stay inside the allocation.
/// </summary>
public sealed unsafe class NativeMemoryOwner : MemoryOwner
{
    /// <summary>The alignment and padding granularity in bytes.</summary>
    public const int Alignment = 64;

    private static long s_liveBytes;
    private static long s_liveAllocations;

    private NativeMemoryOwner(nint address, long capacity)
        : base(address, capacity)
    {
    }

    /// <summary>Bytes currently allocated by all native owners (for leak checks in tests and diagnostics).</summary>
    public static long LiveBytes => Interlocked.Read(ref s_liveBytes);

    /// <summary>Native allocations currently alive.</summary>
    public static long LiveAllocations => Interlocked.Read(ref s_liveAllocations);

    /// <summary>
    /// Allocates at least <paramref name="byteLength"/> bytes (rounded up to a multiple of 64, and at least 64),
    /// 64-byte aligned (buffers of 4 MiB and more: a whole number of 2 MiB huge pages where Linux allows, see
    /// <see cref="HugePages"/>, reused from freed buffers of the same size, see <see cref="LargeBlockPool"/>). The padding beyond <paramref name="byteLength"/> is always zero; the first
    /// <paramref name="byteLength"/> bytes are zero when <paramref name="zeroFill"/> is true.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="byteLength"/> is negative.</exception>
    /// <exception cref="OutOfMemoryException">The allocation failed.</exception>
    public static NativeMemoryOwner Allocate(long byteLength, bool zeroFill = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        var capacity = PaddedLength(byteLength);
        var hugePages = HugePages.Applies(capacity);
        // Large blocks come in whole huge pages, so that batches of about the same size reuse each other's blocks.
        if (hugePages) capacity = checked((capacity + HugePages.PageSize - 1) & ~(long)(HugePages.PageSize - 1));
        byte* pointer;
        if (hugePages && LargeBlockPool.TryRent(capacity, out var reused))
        {
            pointer = (byte*)reused;
        }
        else
        {
            pointer = (byte*)NativeMemory.AlignedAlloc(checked((nuint)capacity), (nuint)(hugePages ? HugePages.PageSize : Alignment));
            if (pointer is null)
            {
                throw new OutOfMemoryException($"Could not allocate {capacity} bytes of native memory.");
            }

            if (hugePages) HugePages.Advise((nint)pointer, capacity);
        }

        var cleared = zeroFill ? 0 : byteLength;
        NativeMemory.Clear(pointer + cleared, (nuint)(capacity - cleared));
        Interlocked.Add(ref s_liveBytes, capacity);
        Interlocked.Increment(ref s_liveAllocations);
        return new NativeMemoryOwner((nint)pointer, capacity);
    }

    /// <summary><paramref name="byteLength"/> rounded up to a multiple of <see cref="Alignment"/>, at least one block.</summary>
    public static long PaddedLength(long byteLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        if (byteLength > long.MaxValue - Alignment)
        {
            throw new OutOfMemoryException($"A buffer of {byteLength} bytes cannot be allocated.");
        }

        return Math.Max(Alignment, (byteLength + Alignment - 1) & ~(long)(Alignment - 1));
    }

    /// <inheritdoc />
    protected override void Free()
    {
        if (!HugePages.Applies(Length) || !LargeBlockPool.TryReturn(Address, Length)) NativeMemory.AlignedFree((void*)Address);
        Interlocked.Add(ref s_liveBytes, -Length);
        Interlocked.Decrement(ref s_liveAllocations);
    }
}
