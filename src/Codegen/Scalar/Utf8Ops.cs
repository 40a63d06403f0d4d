using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen.Scalar;

/// <summary>
/// String operations on <see cref="Utf8Text"/> values, each exactly equal to the .NET operation on the string
/// the text encodes: lengths count UTF-16 units, comparisons and searches are ordinal (on valid UTF-8 a byte
/// match is a UTF-16 match when the other operand is well-formed: no lone surrogate), errors are those the
/// string method throws (an instance method on null throws <see cref="NullReferenceException"/>). Operations
/// that build text write into the row's <see cref="Utf8Arena"/>; the rest return slices.
/// Entry points are JIT-compiled fully optimized at once (<see cref="MethodImplOptions.AggressiveOptimization"/>):
/// kernels call them per row from the first row, and the string methods they replace are precompiled.
/// </summary>
internal static unsafe partial class Utf8Ops
{
    /// <summary>Rows checked for ASCII at once by <see cref="Read"/>: a few dozen KB of typical strings, scanned with vectors.</summary>
    internal const int AsciiBlockRows = 1024;

    /// <summary>
    /// Row <paramref name="row"/> of a utf8 (or large_utf8) column as text: a slice of the column's data, or,
    /// when the bytes are not valid UTF-8, their decoding (invalid sequences as U+FFFD) re-encoded in the arena.
    /// Rows are checked a block at a time: the bytes of rows [row, min(row + <see cref="AsciiBlockRows"/>,
    /// <paramref name="rowLimit"/>)) are scanned for a non-ASCII byte once, and every row inside the ASCII prefix found
    /// is ASCII — valid, and marked <see cref="Utf8Text.IsAscii"/> — with no scan of its own; a row with a non-ASCII
    /// byte is validated alone. Rows below <paramref name="rowLimit"/> must be in the column (the kernel run's end);
    /// <paramref name="slot"/> numbers the kernel's string columns, each of which keeps its own ASCII range in the arena.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Utf8Text Read(nint offsets, nint data, long row, long rowLimit, bool large, bool valid, Utf8Arena arena, int slot)
    {
        if (!valid) return Utf8Text.Null;
        long start = large ? NativeAccess.Read<long>(offsets, row) : NativeAccess.Read<int>(offsets, row);
        long end = large ? NativeAccess.Read<long>(offsets, row + 1) : NativeAccess.Read<int>(offsets, row + 1);
        int length = checked((int)(end - start));
        nint from = data + (nint)start;
        if (arena.IsKnownAscii(slot, from, from + length)) return new Utf8Text(from, length, isAscii: true);
        return ReadBlock(offsets, data, row, rowLimit, large, arena, slot, from, length);
    }

    /// <summary>The slow half of <see cref="Read"/>: scans the block of rows from this one for ASCII, then reads the row.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Utf8Text ReadBlock(nint offsets, nint data, long row, long rowLimit, bool large, Utf8Arena arena, int slot, nint from, int length)
    {
        long last = Math.Max(row + 1, Math.Min(row + AsciiBlockRows, rowLimit));
        long blockEnd = large ? NativeAccess.Read<long>(offsets, last) : NativeAccess.Read<int>(offsets, last);
        long blockBytes = Math.Min(blockEnd - (from - data), int.MaxValue);
        int nonAscii = new ReadOnlySpan<byte>((void*)from, (int)blockBytes).IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
        nint asciiEnd = from + (nint)(nonAscii < 0 ? blockBytes : nonAscii);
        if (from + length <= asciiEnd)
        {
            arena.KnowAscii(slot, from, asciiEnd);
            return new Utf8Text(from, length, isAscii: true);
        }

        var text = new Utf8Text(from, length);
        return Utf8.IsValid(text.Bytes) ? text : Transcode(text.Bytes, arena);
    }

    /// <summary><c>s.Length</c>: UTF-16 units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Length(Utf8Text text) => text.IsAscii ? text.Length : Utf16Length(Instance(text));

    /// <summary><c>a == b</c> (ordinal; null equals only null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Equal(Utf8Text a, Utf8Text b) =>
        a.IsNull || b.IsNull ? a.IsNull && b.IsNull : SameBytes(a.Bytes, b.Bytes);

    /// <summary><c>s.Equals(value)</c> (ordinal) for a non-null constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool EqualsOrdinal(Utf8Text text, Utf8Text value) => SameBytes(Instance(text), value.Bytes);

    /// <summary><c>s.StartsWith(value, StringComparison.Ordinal)</c> for a non-null constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool StartsWith(Utf8Text text, Utf8Text value)
    {
        var bytes = Instance(text);
        return bytes.Length >= value.Bytes.Length && SameBytes(bytes[..value.Bytes.Length], value.Bytes);
    }

    /// <summary><c>s.EndsWith(value, StringComparison.Ordinal)</c> for a non-null constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool EndsWith(Utf8Text text, Utf8Text value)
    {
        var bytes = Instance(text);
        return bytes.Length >= value.Bytes.Length && SameBytes(bytes[^value.Bytes.Length..], value.Bytes);
    }

    /// <summary><c>s.Contains(value)</c> (ordinal) for a non-null constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Contains(Utf8Text text, Utf8Text value) => Instance(text).IndexOf(value.Bytes) >= 0;

    /// <summary><c>string.IsNullOrEmpty(s)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsNullOrEmpty(Utf8Text text) => text.Length <= 0;

    /// <summary><c>string.IsNullOrWhiteSpace(s)</c>: every UTF-16 unit is <see cref="char.IsWhiteSpace(char)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsNullOrWhiteSpace(Utf8Text text) => text.IsNull || LeadingWhiteSpace(text.Bytes) == text.Length;

    /// <summary><c>s == null</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsNull(Utf8Text text) => text.IsNull;

    /// <summary>The string itself, where an operation needs a <see cref="string"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string? ToStringOrNull(Utf8Text text) => text.ToStringOrNull();

    /// <summary>Whether a constant survives a UTF-8 round trip (no lone surrogates), so byte operations are exact.</summary>
    public static bool IsWellFormed(string constant) => !constant.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') || Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(constant)) == constant;

    /// <summary>
    /// Whether two byte runs are equal. Runs of 2 to 16 bytes — the constants rows are compared with, such as
    /// <c>"@gmail.com"</c> — compare two overlapping words each, inline, instead of calling
    /// <see cref="MemoryExtensions.SequenceEqual{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/> (a call and a dispatch on the
    /// length per row: 9% of W3's kernel time).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool SameBytes(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int length = a.Length;
        if (length != b.Length) return false;
        ref byte x = ref MemoryMarshal.GetReference(a);
        ref byte y = ref MemoryMarshal.GetReference(b);
        switch (length)
        {
            case >= 8 and <= 16:
                return ((Unsafe.ReadUnaligned<ulong>(ref x) ^ Unsafe.ReadUnaligned<ulong>(ref y))
                    | (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref x, length - 8)) ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref y, length - 8)))) == 0;
            case >= 4 and < 8:
                return ((Unsafe.ReadUnaligned<uint>(ref x) ^ Unsafe.ReadUnaligned<uint>(ref y))
                    | (Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref x, length - 4)) ^ Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref y, length - 4)))) == 0;
            case >= 2 and < 4:
                return ((Unsafe.ReadUnaligned<ushort>(ref x) ^ Unsafe.ReadUnaligned<ushort>(ref y))
                    | (Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref x, length - 2)) ^ Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref y, length - 2)))) == 0;
            case 1:
                return x == y;
            case 0:
                return true;
            default:
                return a.SequenceEqual(b);
        }
    }

    /// <summary>The bytes of the target of an instance call, which throws on null like a call on a null string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> Instance(Utf8Text text) => text.IsNull ? throw new NullReferenceException() : text.Bytes;

    private static Utf8Text Transcode(ReadOnlySpan<byte> invalid, Utf8Arena arena)
    {
        var chars = arena.Chars(Encoding.UTF8.GetCharCount(invalid));
        Encoding.UTF8.GetChars(invalid, chars);
        return Encode(chars, arena);
    }

    private static Utf8Text Encode(ReadOnlySpan<char> chars, Utf8Arena arena)
    {
        var destination = arena.Reserve(Encoding.UTF8.GetByteCount(chars));
        return arena.Commit(Encoding.UTF8.GetBytes(chars, destination));
    }
}
