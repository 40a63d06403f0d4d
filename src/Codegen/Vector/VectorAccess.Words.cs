using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dsl.Codegen.Vector;

/// <summary>
/// Bitmaps read a 64-row word at a time: a vector kernel reads each input bitmap once per group of up to 64 rows
/// (<see cref="ReadWord"/>) and makes each block's lane mask from that word and the block's bit position, instead of
/// testing for a missing bitmap and reading its bytes again in every block — on a kernel like W1 (four bitmaps, four
/// rows per block) that per-block work, not memory, was what bounded a single thread.
/// </summary>
internal static unsafe partial class VectorAccess
{
    /// <summary>
    /// The 64 bits [<paramref name="bitIndex"/>, <paramref name="bitIndex"/> + 64) of an LSB-first bitmap, touching only
    /// the bytes that hold them; all ones when <paramref name="bitmap"/> is 0 (no bitmap: every row valid).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReadWord(nint bitmap, long bitIndex)
    {
        if (bitmap == 0) return ulong.MaxValue;
        byte* bytes = (byte*)bitmap + (bitIndex >> 3);
        int shift = (int)(bitIndex & 7);
        var word = Unsafe.ReadUnaligned<ulong>(bytes) >> shift;
        return shift == 0 ? word : word | (ulong)bytes[8] << (64 - shift);
    }

    /// <summary>Writes the 64 bits of a group at <paramref name="bitIndex"/>, a multiple of 64: one store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteWord(nint bitmap, long bitIndex, ulong word) => *(ulong*)((byte*)bitmap + (bitIndex >> 3)) = word;

    /// <summary>
    /// Lane mask of 4 × 64-bit lanes: lane j is set when bit <paramref name="shift"/> + j of <paramref name="word"/> is.
    /// Computed, not loaded from a table as the hand-written kernels do: a mask no lane uses is then dead code the JIT
    /// drops, where a table load would stay (as a null check) and take a register.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Mask256x64(ulong word, int shift)
    {
        var lanes = Vector256.Create(1ul, 2ul, 4ul, 8ul);
        return Vector256.Equals(Vector256.Create(word >> shift) & lanes, lanes);
    }

    /// <summary>Lane mask of 8 × 32-bit lanes: lane j is set when bit <paramref name="shift"/> + j of <paramref name="word"/> is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Mask256x32(ulong word, int shift)
    {
        var lanes = Vector256.Create(1u, 2u, 4u, 8u, 16u, 32u, 64u, 128u);
        return Vector256.Equals(Vector256.Create((uint)(word >> shift)) & lanes, lanes);
    }

    /// <summary>Lane mask of 8 × 64-bit lanes: lane j is set when bit <paramref name="shift"/> + j of <paramref name="word"/> is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Mask512x64(ulong word, int shift)
    {
        var lanes = Vector512.Create(1ul, 2ul, 4ul, 8ul, 16ul, 32ul, 64ul, 128ul);
        return Vector512.Equals(Vector512.Create(word >> shift) & lanes, lanes);
    }

    /// <summary>Lane mask of 16 × 32-bit lanes: lane j is set when bit <paramref name="shift"/> + j of <paramref name="word"/> is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Mask512x32(ulong word, int shift)
    {
        var lanes = Vector512.Create(1u, 2u, 4u, 8u, 16u, 32u, 64u, 128u, 256u, 512u, 1024u, 2048u, 4096u, 8192u, 16384u, 32768u);
        return Vector512.Equals(Vector512.Create((uint)(word >> shift)) & lanes, lanes);
    }
}
