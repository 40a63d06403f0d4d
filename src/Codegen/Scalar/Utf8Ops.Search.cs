using System.Runtime.CompilerServices;
using System.Text;

namespace Dsl.Codegen.Scalar;

/// <summary>
/// Searches that answer in UTF-16 positions (<c>IndexOf</c>, <c>LastIndexOf</c>), ordinal ignore-case tests against ASCII constants,
/// and <c>Substring</c>, which turns UTF-16 positions back into byte offsets.
/// </summary>
internal static partial class Utf8Ops
{
    /// <summary>
    /// <c>s.IndexOf(value)</c> (ordinal) for a well-formed constant — a char that is not a surrogate, or a string:
    /// on valid UTF-8 a byte match starts at a code point, so it is the first UTF-16 match; the answer counts the
    /// UTF-16 units before it. An empty value is found at 0, as in .NET.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int IndexOf(Utf8Text text, Utf8Text value)
    {
        var bytes = Instance(text);
        int found = bytes.IndexOf(value.Bytes);
        return text.IsAscii ? found : Utf16Position(bytes, found);
    }

    /// <summary>
    /// <c>s.LastIndexOf(value)</c> (ordinal) for a non-empty well-formed constant, as <see cref="IndexOf"/>: the last
    /// byte match starts at a code point, so it is the last UTF-16 match.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int LastIndexOf(Utf8Text text, Utf8Text value)
    {
        var bytes = Instance(text);
        int found = bytes.LastIndexOf(value.Bytes);
        return text.IsAscii ? found : Utf16Position(bytes, found);
    }

    /// <summary>The UTF-16 position of byte offset <paramref name="found"/> (a code point's start), or -1 for -1.</summary>
    private static int Utf16Position(ReadOnlySpan<byte> bytes, int found) => found <= 0 ? found : Utf16Length(bytes[..found]);

    /// <summary><c>s.StartsWith(value, StringComparison.OrdinalIgnoreCase)</c> for a non-null ASCII constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool StartsWithIgnoreCase(Utf8Text text, Utf8Text value) => AffixIgnoreCase(text, value, atEnd: false);

    /// <summary><c>s.EndsWith(value, StringComparison.OrdinalIgnoreCase)</c> for a non-null ASCII constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool EndsWithIgnoreCase(Utf8Text text, Utf8Text value) => AffixIgnoreCase(text, value, atEnd: true);

    /// <summary>
    /// An ordinal ignore-case prefix or suffix test against an ASCII constant: when the bytes it covers are ASCII
    /// they are the first or last UTF-16 units, compared ASCII-case-insensitively as .NET does; otherwise (a
    /// non-ASCII character such as ı or the Kelvin sign may fold to an ASCII one) the string's own method decides.
    /// Fewer bytes than the value's ASCII characters means fewer UTF-16 units too, so the answer is false.
    /// </summary>
    private static bool AffixIgnoreCase(Utf8Text text, Utf8Text value, bool atEnd)
    {
        var bytes = Instance(text);
        if (bytes.Length < value.Length) return false;
        var affix = atEnd ? bytes[^value.Length..] : bytes[..value.Length];
        if (text.IsAscii || Ascii.IsValid(affix)) return Ascii.EqualsIgnoreCase(affix, value.Bytes);
        var (whole, part) = (text.ToStringOrNull()!, value.ToStringOrNull()!);
        return atEnd ? whole.EndsWith(part, StringComparison.OrdinalIgnoreCase) : whole.StartsWith(part, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>s.Equals(value, StringComparison.OrdinalIgnoreCase)</c> for a non-null ASCII constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool EqualsIgnoreCase(Utf8Text text, Utf8Text value)
    {
        var bytes = Instance(text);
        return text.IsAscii || Ascii.IsValid(bytes)
            ? Ascii.EqualsIgnoreCase(bytes, value.Bytes)
            : text.ToStringOrNull()!.Equals(value.ToStringOrNull(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>s.Substring(startIndex)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text Substring(Utf8Text text, int startIndex)
    {
        var bytes = Instance(text);
        bool ascii = text.IsAscii || Ascii.IsValid(bytes); // then UTF-16 positions are byte offsets: one scan in all
        int length = ascii ? bytes.Length : Encoding.UTF8.GetCharCount(bytes);
        if ((uint)startIndex > (uint)length) throw SubstringError(() => text.ToStringOrNull()!.Substring(startIndex));
        int start = ascii ? startIndex : ByteOffset(bytes, startIndex);
        return text.Slice(start, bytes.Length - start);
    }

    /// <summary>
    /// <c>s.Substring(startIndex, length)</c>: a slice between the byte offsets of the two UTF-16 positions. Out of
    /// range it throws what .NET throws; a cut through a surrogate pair leaves a lone surrogate, which UTF-8 cannot
    /// hold, so the row is evaluated again on strings (<see cref="Utf8RowRetry"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text Substring(Utf8Text text, int startIndex, int length)
    {
        var bytes = Instance(text);
        bool ascii = text.IsAscii || Ascii.IsValid(bytes); // then UTF-16 positions are byte offsets: one scan in all
        if (startIndex < 0 || length < 0 || (long)startIndex + length > (ascii ? bytes.Length : Encoding.UTF8.GetCharCount(bytes)))
            throw SubstringError(() => text.ToStringOrNull()!.Substring(startIndex, length));
        if (ascii) return text.Slice(startIndex, length);
        if (length == 0) return text.Slice(0, 0); // empty, wherever it starts (even between two surrogates)
        int start = ByteOffset(bytes, startIndex);
        int end = start + ByteOffset(bytes[start..], length);
        return text.Slice(start, end - start);
    }

    /// <summary>UTF-16 units of valid UTF-8 bytes.</summary>
    internal static int Utf16Length(ReadOnlySpan<byte> bytes) => Ascii.IsValid(bytes) ? bytes.Length : Encoding.UTF8.GetCharCount(bytes);

    /// <summary>The exception the string's own Substring throws for arguments out of range (type and message).</summary>
    private static Exception SubstringError(Func<string> substring)
    {
        try
        {
            substring();
        }
        catch (ArgumentOutOfRangeException error)
        {
            return error;
        }

        throw new InvalidOperationException("Substring arguments judged out of range were accepted by string.Substring.");
    }

    /// <summary>The byte offset of UTF-16 position <paramref name="units"/> (at most the UTF-16 length) in valid UTF-8.</summary>
    private static int ByteOffset(ReadOnlySpan<byte> bytes, int units)
    {
        int ascii = bytes.IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
        if (ascii < 0 || units <= ascii) return units;
        int offset = ascii;
        units -= ascii;
        while (units > 0)
        {
            byte lead = bytes[offset];
            var (size, width) = lead < 0x80 ? (1, 1) : lead < 0xE0 ? (2, 1) : lead < 0xF0 ? (3, 1) : (4, 2);
            if (width > units) throw Utf8RowRetry.Instance; // the cut falls between the two surrogates of one code point
            offset += size;
            units -= width;
        }

        return offset;
    }
}
