namespace Dsl.ArrowExtensions.Memory;

/// <summary>
/// Freed native blocks of <see cref="HugePages.Threshold"/> bytes and more, kept for the next allocation of the
/// same capacity. A fresh block costs a page fault per page on first write, and the operating system zeroes
/// each page before handing it over; for a kernel that streams a new 80 MB output that is a third of its time.
/// Evaluating batch after batch of the same size (the common case: training data in fixed-size batches, a
/// benchmark's iterations) then reuses warm memory instead. At most <see cref="MaxPooledBytes"/> are kept;
/// beyond that a freed block goes back to the system at once.
/// </summary>
/// <remarks>
/// Invariant: a block is in the pool only while no <see cref="NativeBlock"/> owns it, so reuse never
/// aliases live memory; the owner clears what its contract says is zero, exactly as for a fresh block.
/// </remarks>
internal static unsafe class LargeBlockPool
{
    /// <summary>The most memory the pool keeps: a few outputs of a 10,000,000-row batch.</summary>
    public const long MaxPooledBytes = 256L << 20;

    private static readonly object s_lock = new();
    private static readonly List<(nint Address, long Capacity)> s_blocks = [];
    private static long s_pooledBytes;

    /// <summary>Bytes held by the pool now (for tests and diagnostics).</summary>
    public static long PooledBytes
    {
        get
        {
            lock (s_lock) return s_pooledBytes;
        }
    }

    /// <summary>Takes the most recently freed block of exactly <paramref name="capacity"/> bytes, if there is one.</summary>
    public static bool TryRent(long capacity, out nint address)
    {
        lock (s_lock)
        {
            for (int k = s_blocks.Count - 1; k >= 0; k--)
            {
                if (s_blocks[k].Capacity != capacity) continue;
                address = s_blocks[k].Address;
                s_blocks.RemoveAt(k);
                s_pooledBytes -= capacity;
                return true;
            }
        }

        address = 0;
        return false;
    }

    /// <summary>Keeps a freed block; false (the caller frees it) when the pool is full.</summary>
    public static bool TryReturn(nint address, long capacity)
    {
        lock (s_lock)
        {
            if (s_pooledBytes + capacity > MaxPooledBytes) return false;
            s_blocks.Add((address, capacity));
            s_pooledBytes += capacity;
            return true;
        }
    }

    /// <summary>Gives every pooled block back to the system.</summary>
    public static void Clear()
    {
        lock (s_lock)
        {
            foreach (var (address, _) in s_blocks) System.Runtime.InteropServices.NativeMemory.AlignedFree((void*)address);
            s_blocks.Clear();
            s_pooledBytes = 0;
        }
    }
}
