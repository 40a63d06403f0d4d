using System.Runtime.CompilerServices;

namespace Dsl.Codegen.Columns;

/// <summary>
/// The only place kernels touch native memory: loads and stores of one element or one bit at an index of a
/// buffer whose address and length were validated when the column was bound (<see cref="ColumnView"/>) or the
/// output was allocated (<see cref="OutputColumn"/>). Expression trees cannot use pointers; these helpers take
/// an <see cref="nint"/> address and are aggressively inlined, so a call from a compiled kernel is one load or
/// store.
/// </summary>
internal static unsafe class NativeAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Read<T>(nint address, long index) where T : unmanaged => ((T*)address)[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write<T>(nint address, long index, T value) where T : unmanaged => ((T*)address)[index] = value;

    /// <summary>1 for true, 0 for false, without a branch (a kernel adds it to a count where a branch would mispredict).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Bit(bool value) => Unsafe.BitCast<bool, byte>(value);

    /// <summary>Bit <paramref name="bitIndex"/> of an LSB-first bitmap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ReadBit(nint bitmap, long bitIndex) =>
        ((((byte*)bitmap)[bitIndex >> 3] >> (int)(bitIndex & 7)) & 1) != 0;

    /// <summary>Whether a row is valid: an absent bitmap (address 0) means every row is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsValid(nint validity, long bitIndex) => validity == 0 || ReadBit(validity, bitIndex);

    /// <summary>
    /// Sets or clears one bit. Not atomic: callers own the byte (kernel ranges start at multiples of 64 rows, so
    /// two ranges never share a byte of an output bitmap).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBit(nint bitmap, long bitIndex, bool value)
    {
        byte* target = (byte*)bitmap + (bitIndex >> 3);
        int mask = 1 << (int)(bitIndex & 7);
        *target = value ? (byte)(*target | mask) : (byte)(*target & ~mask);
    }

    /// <summary>A span over native memory, for UTF-8 slices and list elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<T> Span<T>(nint address, long start, int length) where T : unmanaged =>
        new((T*)address + start, length);
}
