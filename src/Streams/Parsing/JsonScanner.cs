using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace Dsl.Streams.Parsing;

/// <summary>
/// The pieces of a small validating JSON scanner over UTF-8 bytes, for the common shape of a message: whitespace, strings
/// without escapes, numbers, literals, and values skipped whole. Each piece advances a position and says whether what it
/// met is valid JSON of the simple kind; anything else (an escape, a control character, invalid UTF-8, too deep a value,
/// malformed input) is a "no", and the caller then reads the message with <see cref="System.Text.Json.Utf8JsonReader"/>,
/// which decides what it is and what the error says. A "yes" is only given for text that reader accepts alike.
/// </summary>
internal static class JsonScanner
{
    /// <summary>How deep a value may nest and still be scanned (the reader allows 64; deeper values go to it).</summary>
    public const int MaxDepth = 32;

    // What ends a string's plain part once it is known not to be ASCII: the quote, an escape or a control character.
    private static readonly SearchValues<byte> s_stringStops = SearchValues.Create([.. Enumerable.Range(0, 32).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    /// <summary>
    /// Where the plain ASCII part of a string ends: the first closing quote, escape, control character (invalid in a string) or
    /// byte of a multi-byte character (then the UTF-8 is checked), or -1. 32 bytes at a time: as signed bytes, the control
    /// characters and the bytes from 0x80 are exactly those below 0x20, so three comparisons find every kind of stop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int IndexOfAsciiStop(ReadOnlySpan<byte> text)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && text.Length >= Vector256<byte>.Count)
        {
            ref var start = ref MemoryMarshal.GetReference(text);
            var last = text.Length - Vector256<byte>.Count;
            while (true)
            {
                // The last block overlaps the one before it; the bytes already looked at are shifted out of its mask.
                var from = Math.Min(i, last);
                var bytes = Vector256.LoadUnsafe(ref start, (nuint)from);
                var stops = Vector256.LessThan(bytes.AsSByte(), Vector256.Create((sbyte)0x20)).AsByte()
                    | Vector256.Equals(bytes, Vector256.Create((byte)'"')) | Vector256.Equals(bytes, Vector256.Create((byte)'\\'));
                var mask = stops.ExtractMostSignificantBits() >> (i - from);
                if (mask != 0) return i + BitOperations.TrailingZeroCount(mask);
                i = from + Vector256<byte>.Count;
                if (i >= text.Length) return -1;
            }
        }
        for (; i < text.Length; i++)
        {
            if (text[i] is < 0x20 or >= 0x80 or (byte)'"' or (byte)'\\') return i;
        }
        return -1;
    }

    /// <summary>The byte at <paramref name="at"/>, or 0 past the end (0 is never valid where a byte is expected).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte At(ReadOnlySpan<byte> json, int at) => (uint)at < (uint)json.Length ? json[at] : (byte)0;

    /// <summary>Moves past JSON whitespace (space, tab, line feed, carriage return).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SkipWhitespace(ReadOnlySpan<byte> json, ref int at)
    {
        while ((uint)at < (uint)json.Length && json[at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') at++;
    }

    /// <summary>
    /// The content of the string starting at <paramref name="at"/> (its opening quote), moving past the closing quote; false
    /// when it has an escape or a control character, is not valid UTF-8, or does not end.
    /// </summary>
    public static bool TryString(ReadOnlySpan<byte> json, ref int at, out ReadOnlySpan<byte> content)
    {
        content = default;
        if (At(json, at) != (byte)'"') return false;
        var rest = json[(at + 1)..];
        var stop = IndexOfAsciiStop(rest);
        if (stop >= 0 && rest[stop] >= 0x80)
        {
            var more = rest[stop..].IndexOfAny(s_stringStops);
            stop = more < 0 ? -1 : stop + more;
            if (stop >= 0 && !Utf8.IsValid(rest[..stop])) return false;
        }
        if (stop < 0 || rest[stop] != (byte)'"') return false;
        content = rest[..stop];
        at += stop + 2;
        return true;
    }

    /// <summary>
    /// The number starting at <paramref name="at"/> (<c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>), moving past it;
    /// false when it is not one. What follows is the caller's to check.
    /// </summary>
    public static bool TryNumber(ReadOnlySpan<byte> json, ref int at, out ReadOnlySpan<byte> number)
    {
        number = default;
        var start = at;
        var i = at;
        if (At(json, i) == (byte)'-') i++;
        if (At(json, i) == (byte)'0') i++;
        else if (IsDigit(At(json, i))) i = SkipDigits(json, i);
        else return false;
        if (At(json, i) == (byte)'.')
        {
            i++;
            if (!IsDigit(At(json, i))) return false;
            i = SkipDigits(json, i);
        }
        if (At(json, i) is (byte)'e' or (byte)'E')
        {
            i++;
            if (At(json, i) is (byte)'+' or (byte)'-') i++;
            if (!IsDigit(At(json, i))) return false;
            i = SkipDigits(json, i);
        }
        number = json[start..i];
        at = i;
        return true;
    }

    /// <summary>Moves past <paramref name="literal"/> (<c>true</c>, <c>false</c>, <c>null</c>) when it is at <paramref name="at"/>.</summary>
    public static bool TryLiteral(ReadOnlySpan<byte> json, ref int at, ReadOnlySpan<byte> literal)
    {
        if (!json[at..].StartsWith(literal)) return false;
        at += literal.Length;
        return true;
    }

    /// <summary>
    /// Moves past the value at <paramref name="at"/> (any kind, nested at most <see cref="MaxDepth"/> from
    /// <paramref name="depth"/>), checking it is valid JSON of the simple kind; false otherwise.
    /// </summary>
    public static bool TrySkipValue(ReadOnlySpan<byte> json, ref int at, int depth)
    {
        switch (At(json, at))
        {
            case (byte)'"':
                return TryString(json, ref at, out _);
            case (byte)'t':
                return TryLiteral(json, ref at, "true"u8);
            case (byte)'f':
                return TryLiteral(json, ref at, "false"u8);
            case (byte)'n':
                return TryLiteral(json, ref at, "null"u8);
            case (byte)'{':
                return depth < MaxDepth && TrySkipObject(json, ref at, depth + 1);
            case (byte)'[':
                return depth < MaxDepth && TrySkipArray(json, ref at, depth + 1);
            default:
                return TryNumber(json, ref at, out _);
        }
    }

    /// <summary>After a member's value: moves past whitespace and a comma (true, another member follows) or a closing brace (false, the object ended); <paramref name="valid"/> is false for anything else.</summary>
    public static bool NextMember(ReadOnlySpan<byte> json, ref int at, out bool valid)
    {
        SkipWhitespace(json, ref at);
        var b = At(json, at);
        at++;
        valid = b is (byte)',' or (byte)'}';
        if (b != (byte)',') return false;
        SkipWhitespace(json, ref at);
        return true;
    }

    /// <summary>Moves past a property name and its colon (and the whitespace after), at a quote; false when they are not there.</summary>
    public static bool TryName(ReadOnlySpan<byte> json, ref int at, out ReadOnlySpan<byte> name)
    {
        if (!TryString(json, ref at, out name)) return false;
        SkipWhitespace(json, ref at);
        if (At(json, at) != (byte)':') return false;
        at++;
        SkipWhitespace(json, ref at);
        return true;
    }

    private static bool TrySkipObject(ReadOnlySpan<byte> json, ref int at, int depth)
    {
        at++;
        SkipWhitespace(json, ref at);
        if (At(json, at) == (byte)'}')
        {
            at++;
            return true;
        }
        while (true)
        {
            if (!TryName(json, ref at, out _) || !TrySkipValue(json, ref at, depth)) return false;
            if (!NextMember(json, ref at, out var valid)) return valid;
        }
    }

    private static bool TrySkipArray(ReadOnlySpan<byte> json, ref int at, int depth)
    {
        at++;
        SkipWhitespace(json, ref at);
        if (At(json, at) == (byte)']')
        {
            at++;
            return true;
        }
        while (true)
        {
            if (!TrySkipValue(json, ref at, depth)) return false;
            SkipWhitespace(json, ref at);
            var b = At(json, at);
            at++;
            if (b == (byte)']') return true;
            if (b != (byte)',') return false;
            SkipWhitespace(json, ref at);
        }
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    /// <summary>The position after the digits at <paramref name="at"/> (a local index rather than a ref: the loop keeps it in a register).</summary>
    private static int SkipDigits(ReadOnlySpan<byte> json, int at)
    {
        while ((uint)at < (uint)json.Length && IsDigit(json[at])) at++;
        return at;
    }
}
