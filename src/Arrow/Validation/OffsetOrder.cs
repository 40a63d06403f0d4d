using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dsl.ArrowExtensions;

/// <summary>Where a column's offsets stop being non-decreasing: the check every string or list batch gets before a kernel reads it.</summary>
public static class OffsetOrder
{
    /// <summary>
    /// The first i with offsets[i + 1] &lt; offsets[i], or -1. Vectorized: every batch read is validated (by
    /// <see cref="ArrowValidator"/> and again when a kernel binds the column), and this scan is most of the cost of a
    /// zero-copy read of string columns.
    /// </summary>
    public static int FirstDecrease<T>(ReadOnlySpan<T> offsets)
        where T : unmanaged, IBinaryInteger<T>
    {
        var i = 0;
        var pairs = offsets.Length - 1;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            ref var start = ref MemoryMarshal.GetReference(offsets);
            for (; i + Vector256<T>.Count <= pairs; i += Vector256<T>.Count)
            {
                if (Vector256.LessThanAny(Vector256.LoadUnsafe(ref start, (nuint)i + 1), Vector256.LoadUnsafe(ref start, (nuint)i))) break;
            }
        }

        for (; i < pairs; i++)
        {
            if (offsets[i + 1] < offsets[i]) return i;
        }

        return -1;
    }
}
