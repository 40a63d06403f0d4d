using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dsl.Arrow;

/// <summary>
/// Bit operations on Arrow bitmaps: bit <c>i</c> is bit <c>i % 8</c> (least significant first) of byte
/// <c>i / 8</c>. Used for validity bitmaps (1 = valid) and boolean values.
/// </summary>
public static class BitUtility
{
    /// <summary>The number of bytes that hold <paramref name="bitCount"/> bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ByteCount(long bitCount) => (bitCount + 7) >> 3;

    /// <summary>The number of bytes that hold <paramref name="bitCount"/> bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ByteCount(int bitCount) => (int)(((long)bitCount + 7) >> 3);

    /// <summary>Bit <paramref name="index"/> of <paramref name="bitmap"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool GetBit(ReadOnlySpan<byte> bitmap, int index) => (bitmap[index >> 3] & (1 << (index & 7))) != 0;

    /// <summary>Sets bit <paramref name="index"/> of <paramref name="bitmap"/> to <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetBit(Span<byte> bitmap, int index, bool value)
    {
        ref var b = ref bitmap[index >> 3];
        var mask = (byte)(1 << (index & 7));
        b = value ? (byte)(b | mask) : (byte)(b & ~mask);
    }

    /// <summary>Sets bit <paramref name="index"/> of <paramref name="bitmap"/> to 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetBit(Span<byte> bitmap, int index) => bitmap[index >> 3] |= (byte)(1 << (index & 7));

    /// <summary>Sets bit <paramref name="index"/> of <paramref name="bitmap"/> to 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClearBit(Span<byte> bitmap, int index) => bitmap[index >> 3] &= (byte)~(1 << (index & 7));

    /// <summary>The number of 1 bits among bits [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The bit range is not inside <paramref name="bitmap"/>.</exception>
    public static int CountSetBits(ReadOnlySpan<byte> bitmap, int offset, int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > (long)bitmap.Length * 8)
        {
            throw new ArgumentOutOfRangeException(
                nameof(length),
                $"Bits [{offset}, {offset}+{length}) are outside a bitmap of {bitmap.Length} bytes.");
        }

        var count = 0;
        var index = offset;
        var end = offset + length;
        while (index < end && (index & 63) != 0)
        {
            count += GetBit(bitmap, index) ? 1 : 0;
            index++;
        }

        var words = MemoryMarshal.Cast<byte, ulong>(bitmap[(index >> 3)..]);
        var wordIndex = 0;
        while (end - index >= 64)
        {
            count += BitOperations.PopCount(words[wordIndex++]);
            index += 64;
        }

        while (index < end)
        {
            count += GetBit(bitmap, index) ? 1 : 0;
            index++;
        }

        return count;
    }
}
