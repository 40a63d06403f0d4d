using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen.Vector;

/// <summary>
/// Vector loads, stores and bitmap-to-lane-mask conversions over validated native addresses, aggressively
/// inlined into the compiled kernels (expression trees cannot use pointers). A block of lanes at row
/// <c>index</c> reads rows [index, index + lanes), which the kernel keeps inside the bound length.
/// </summary>
internal static unsafe partial class VectorAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load128<T>(nint address, long index) where T : unmanaged => Vector128.Load((T*)address + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store128<T>(nint address, long index, Vector128<T> value) where T : unmanaged => value.Store((T*)address + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load256<T>(nint address, long index) where T : unmanaged => Vector256.Load((T*)address + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store256<T>(nint address, long index, Vector256<T> value) where T : unmanaged => value.Store((T*)address + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load512<T>(nint address, long index) where T : unmanaged => Vector512.Load((T*)address + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store512<T>(nint address, long index, Vector512<T> value) where T : unmanaged => value.Store((T*)address + index);

    /// <summary>
    /// The per-range no-null fast path: 0 (read as "all valid") when bits [start, start + count) of
    /// <paramref name="validity"/> are all set, else the bitmap itself.
    /// </summary>
    public static nint DropIfAllValid(nint validity, long start, long count)
    {
        if (validity == 0) return 0;
        long bit = start, end = start + count;
        while (bit < end && (bit & 63) != 0)
        {
            if (!NativeAccess.ReadBit(validity, bit)) return validity;
            bit++;
        }

        for (; bit + 64 <= end; bit += 64)
        {
            if (Unsafe.ReadUnaligned<ulong>((byte*)validity + (bit >> 3)) != ulong.MaxValue) return validity;
        }

        for (; bit < end; bit++)
        {
            if (!NativeAccess.ReadBit(validity, bit)) return validity;
        }

        return 0;
    }
}
