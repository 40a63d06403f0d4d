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
    /// <paramref name="count"/> (≤ 16) bits of an LSB-first bitmap from bit <paramref name="bitIndex"/>, touching
    /// only the bytes that hold them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadBits(nint bitmap, long bitIndex, int count)
    {
        byte* bytes = (byte*)bitmap + (bitIndex >> 3);
        int shift = (int)(bitIndex & 7);
        uint word = bytes[0];
        if (shift + count > 8) word |= (uint)bytes[1] << 8;
        if (shift + count > 16) word |= (uint)bytes[2] << 16;
        return (word >> shift) & ((1u << count) - 1);
    }

    /// <summary>
    /// Writes the low <paramref name="count"/> (≤ 64) bits of <paramref name="bits"/> from bit <paramref name="bitIndex"/>,
    /// touching only the bytes that hold them (so ranges that meet inside a byte can be written by different calls). A whole
    /// byte-aligned word — what a vector kernel flushes every 64 rows — is one store.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBits(nint bitmap, long bitIndex, ulong bits, int count)
    {
        byte* bytes = (byte*)bitmap + (bitIndex >> 3);
        int shift = (int)(bitIndex & 7);
        if (count == 64 && shift == 0)
        {
            Unsafe.WriteUnaligned(bytes, bits);
            return;
        }

        WritePartialBits(bytes, shift, bits, count);
    }

    private static void WritePartialBits(byte* bytes, int shift, ulong bits, int count)
    {
        // Bit k of the value lands at bit (shift + k) from the first byte; write byte by byte, keeping the neighbours' bits.
        for (int written = 0; written < count;)
        {
            int take = Math.Min(8 - shift, count - written);
            uint mask = ((1u << take) - 1) << shift;
            uint value = ((uint)(bits >> written) << shift) & mask;
            *bytes = (byte)((*bytes & ~mask) | value);
            written += take;
            shift = 0;
            bytes++;
        }
    }

    /// <summary>Lane mask of 4 × 64-bit lanes from a bitmap (0 = all set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Mask256x64(nint bitmap, long bitIndex)
    {
        if (bitmap == 0) return Vector256<ulong>.AllBitsSet;
        var lanes = Vector256.Create(1ul, 2ul, 4ul, 8ul);
        return Vector256.Equals(Vector256.Create((ulong)ReadBits(bitmap, bitIndex, 4)) & lanes, lanes);
    }

    /// <summary>Lane mask of 8 × 32-bit lanes from a bitmap (0 = all set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Mask256x32(nint bitmap, long bitIndex)
    {
        if (bitmap == 0) return Vector256<uint>.AllBitsSet;
        var lanes = Vector256.Create(1u, 2u, 4u, 8u, 16u, 32u, 64u, 128u);
        return Vector256.Equals(Vector256.Create(ReadBits(bitmap, bitIndex, 8)) & lanes, lanes);
    }

    /// <summary>Lane mask of 8 × 64-bit lanes from a bitmap (0 = all set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Mask512x64(nint bitmap, long bitIndex)
    {
        if (bitmap == 0) return Vector512<ulong>.AllBitsSet;
        var lanes = Vector512.Create(1ul, 2ul, 4ul, 8ul, 16ul, 32ul, 64ul, 128ul);
        return Vector512.Equals(Vector512.Create((ulong)ReadBits(bitmap, bitIndex, 8)) & lanes, lanes);
    }

    /// <summary>Lane mask of 16 × 32-bit lanes from a bitmap (0 = all set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Mask512x32(nint bitmap, long bitIndex)
    {
        if (bitmap == 0) return Vector512<uint>.AllBitsSet;
        var lanes = Vector512.Create(1u, 2u, 4u, 8u, 16u, 32u, 64u, 128u, 256u, 512u, 1024u, 2048u, 4096u, 8192u, 16384u, 32768u);
        return Vector512.Equals(Vector512.Create(ReadBits(bitmap, bitIndex, 16)) & lanes, lanes);
    }

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
