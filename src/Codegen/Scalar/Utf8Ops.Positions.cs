using System.Runtime.CompilerServices;
using System.Text;

namespace Dsl.Codegen.Scalar;

/// <summary>
/// Operations that answer about UTF-16 units without building a string: the indexer <c>s[i]</c>, the number of
/// parts of <c>Split</c>, <c>string.CompareOrdinal</c> and the hash of a string <c>switch</c>.
/// </summary>
internal static partial class Utf8Ops
{
    /// <summary>
    /// <c>s[index]</c>: the UTF-16 unit at <paramref name="index"/> — the byte itself in an ASCII prefix, else
    /// from the code point covering that position (its high or low surrogate for a supplementary character).
    /// Out of range it throws <see cref="IndexOutOfRangeException"/>, as the string indexer does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static char CharAt(Utf8Text text, int index)
    {
        var bytes = Instance(text);
        int ascii = text.IsAscii ? -1 : bytes.IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
        if (ascii < 0) return (uint)index < (uint)bytes.Length ? (char)bytes[index] : throw new IndexOutOfRangeException();
        if ((uint)index < (uint)ascii) return (char)bytes[index];
        if (index < 0) throw new IndexOutOfRangeException();
        int offset = ascii;
        int units = index - ascii;
        Span<char> pair = stackalloc char[2];
        while (offset < bytes.Length)
        {
            Rune.DecodeFromUtf8(bytes[offset..], out var rune, out int consumed);
            int width = rune.Utf16SequenceLength;
            if (units < width)
            {
                rune.EncodeToUtf16(pair);
                return pair[units];
            }

            units -= width;
            offset += consumed;
        }

        throw new IndexOutOfRangeException();
    }

    /// <summary>
    /// <c>s.Split(separator).Length</c> for a non-empty well-formed separator: one more than the non-overlapping
    /// occurrences scanned from the start (as <see cref="SplitPart"/> scans them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int SplitCount(Utf8Text text, Utf8Text separator) => Instance(text).Count(separator.Bytes) + 1;

    /// <summary>
    /// <c>string.CompareOrdinal(a, b)</c>, the same number .NET returns (not only its sign): 0 for two nulls, -1 or 1
    /// when one is null; else .NET compares the UTF-16 units at 0 and 1, then pairs of units from 2 on while the
    /// shorter string lasts, reading the shorter string's terminating '\0' (and an empty string's padding) as a unit,
    /// and returns the difference of the first units that differ, or else the difference of the lengths
    /// (<c>CompareOrdinal("@", "@@")</c> is -64 but <c>CompareOrdinal("ab", "abc")</c> is -1). ASCII texts are
    /// compared on their bytes that way; others decode and call the string method.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CompareOrdinal(Utf8Text a, Utf8Text b)
    {
        if (a.IsNull || b.IsNull) return a.IsNull ? (b.IsNull ? 0 : -1) : 1;
        var left = a.Bytes;
        var right = b.Bytes;
        if (!(a.IsAscii || Ascii.IsValid(left)) || !(b.IsAscii || Ascii.IsValid(right))) return string.CompareOrdinal(a.ToStringOrNull(), b.ToStringOrNull());
        int min = Math.Min(left.Length, right.Length);
        // The units compared: 0 and 1 always, then pairs from 2 while any of the shorter string's units remain.
        int compared = min <= 2 ? 2 : min + (min & 1);
        // Past the common prefix a '\0' in the longer text equals the shorter one's terminator: at most two such steps.
        for (int at = left.CommonPrefixLength(right); at < compared; at++)
        {
            int difference = Unit(left, at) - Unit(right, at);
            if (difference != 0) return difference;
        }

        return left.Length - right.Length;
    }

    /// <summary>The UTF-16 unit at <paramref name="index"/> of an ASCII text, 0 past its end (its terminator or padding).</summary>
    private static int Unit(ReadOnlySpan<byte> ascii, int index) => index < ascii.Length ? ascii[index] : 0;

    /// <summary>
    /// Roslyn's string-switch hash of the text (<see cref="Dsl.Lowering.Intrinsics.StringSwitchHash.Compute"/>): FNV-1a
    /// over the UTF-16 units, 0 for null; ASCII bytes are the units, other code points give their one or two units.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint StringHash(Utf8Text text)
    {
        if (text.IsNull) return 0;
        var bytes = text.Bytes;
        uint hash = 2166136261u;
        Span<char> units = stackalloc char[2];
        int at = 0;
        while (at < bytes.Length)
        {
            if (bytes[at] < 0x80)
            {
                hash = (bytes[at++] ^ hash) * 16777619u;
                continue;
            }

            Rune.DecodeFromUtf8(bytes[at..], out var rune, out int consumed);
            int count = rune.EncodeToUtf16(units);
            for (int k = 0; k < count; k++) hash = (units[k] ^ hash) * 16777619u;
            at += consumed;
        }

        return hash;
    }
}
