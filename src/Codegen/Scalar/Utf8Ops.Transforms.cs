using System.Runtime.CompilerServices;
using System.Text;

namespace Dsl.Codegen.Scalar;

/// <summary>The string-valued operations: slices (split part, trim) and arena-built text (replace, case, concat).</summary>
internal static partial class Utf8Ops
{
    /// <summary>
    /// <c>s.Split(separator)[index]</c> for a non-empty, well-formed separator (a char or a string): the
    /// <paramref name="index"/>-th part between non-overlapping occurrences scanned from the start;
    /// <see cref="IndexOutOfRangeException"/> when there is no such part.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text SplitPart(Utf8Text text, Utf8Text separator, int index)
    {
        var bytes = Instance(text);
        var needle = separator.Bytes;
        if (index < 0) throw new IndexOutOfRangeException();
        int start = 0;
        for (int part = 0; part < index; part++)
        {
            int found = bytes[start..].IndexOf(needle);
            if (found < 0) throw new IndexOutOfRangeException();
            start += found + needle.Length;
        }

        int length = bytes[start..].IndexOf(needle);
        return text.Slice(start, length < 0 ? bytes.Length - start : length);
    }

    /// <summary><c>s.Split(separator)</c> whose parts are not used: it fails only on a null string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SplitEffect(Utf8Text text) => Instance(text);

    /// <summary><c>s.Trim()</c>: drops leading and trailing <see cref="char.IsWhiteSpace(char)"/> characters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text Trim(Utf8Text text)
    {
        int start = LeadingWhiteSpace(Instance(text));
        return start == text.Length ? text.Slice(0, 0) : text.Slice(start, text.Length - start - TrailingWhiteSpace(text.Bytes));
    }

    /// <summary><c>s.TrimStart()</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text TrimStart(Utf8Text text)
    {
        int start = LeadingWhiteSpace(Instance(text));
        return text.Slice(start, text.Length - start);
    }

    /// <summary><c>s.TrimEnd()</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text TrimEnd(Utf8Text text) => text.Slice(0, text.Length - TrailingWhiteSpace(Instance(text)));

    /// <summary><c>s.Replace(oldValue, newValue)</c> (ordinal) for a non-empty, well-formed <paramref name="oldValue"/>; a null new value removes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text Replace(Utf8Text text, Utf8Text oldValue, Utf8Text newValue, Utf8Arena arena)
    {
        var bytes = Instance(text);
        var old = oldValue.Bytes;
        var replacement = newValue.Bytes;
        int count = bytes.Count(old);
        if (count == 0) return text;
        var destination = arena.Reserve(checked(bytes.Length + (count * (replacement.Length - old.Length))));
        int written = 0;
        while (true)
        {
            int found = bytes.IndexOf(old);
            if (found < 0) break;
            bytes[..found].CopyTo(destination[written..]);
            written += found;
            replacement.CopyTo(destination[written..]);
            written += replacement.Length;
            bytes = bytes[(found + old.Length)..];
        }

        bytes.CopyTo(destination[written..]);
        return arena.Commit(written + bytes.Length);
    }

    /// <summary><c>s.ToLowerInvariant()</c>: ASCII bytes directly, other text through the invariant casing of its UTF-16 form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text ToLowerInvariant(Utf8Text text, Utf8Arena arena) => ChangeCase(text, arena, upper: false);

    /// <summary><c>s.ToUpperInvariant()</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text ToUpperInvariant(Utf8Text text, Utf8Arena arena) => ChangeCase(text, arena, upper: true);

    /// <summary><c>string.Concat(a, b)</c>: null parts are empty; the result is never null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text Concat(Utf8Text a, Utf8Text b, Utf8Arena arena) => Concat(arena, a, b, default, default);

    /// <summary><c>string.Concat(a, b, c)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text Concat(Utf8Text a, Utf8Text b, Utf8Text c, Utf8Arena arena) => Concat(arena, a, b, c, default);

    /// <summary><c>string.Concat(a, b, c, d)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text Concat(Utf8Text a, Utf8Text b, Utf8Text c, Utf8Text d, Utf8Arena arena) => Concat(arena, a, b, c, d);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Utf8Text Concat(Utf8Arena arena, Utf8Text a, Utf8Text b, Utf8Text c, Utf8Text d)
    {
        int total = checked(a.Bytes.Length + b.Bytes.Length + c.Bytes.Length + d.Bytes.Length);
        var destination = arena.Reserve(total);
        int written = 0;
        a.Bytes.CopyTo(destination);
        written += a.Bytes.Length;
        b.Bytes.CopyTo(destination[written..]);
        written += b.Bytes.Length;
        c.Bytes.CopyTo(destination[written..]);
        written += c.Bytes.Length;
        d.Bytes.CopyTo(destination[written..]);
        return arena.Commit(written + d.Bytes.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Utf8Text ChangeCase(Utf8Text text, Utf8Arena arena, bool upper)
    {
        var bytes = Instance(text);
        if (Ascii.IsValid(bytes))
        {
            if (upper ? !bytes.ContainsAnyInRange((byte)'a', (byte)'z') : !bytes.ContainsAnyInRange((byte)'A', (byte)'Z')) return text;
            var destination = arena.Reserve(bytes.Length);
            if (upper) Ascii.ToUpper(bytes, destination, out _);
            else Ascii.ToLower(bytes, destination, out _);
            return arena.Commit(bytes.Length);
        }

        // The same TextInfo.Invariant casing string.ToLowerInvariant/ToUpperInvariant runs, over the decoded text.
        int length = Encoding.UTF8.GetCharCount(bytes);
        var chars = arena.Chars(2 * length);
        var source = chars[..length];
        var cased = chars[length..];
        Encoding.UTF8.GetChars(bytes, source);
        if (upper) source.ToUpperInvariant(cased);
        else source.ToLowerInvariant(cased);
        return Encode(cased, arena);
    }

    /// <summary>Bytes of leading white space (all of .NET's white space characters are in the BMP).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int LeadingWhiteSpace(ReadOnlySpan<byte> bytes)
    {
        int at = 0;
        while (at < bytes.Length)
        {
            if (bytes[at] < 0x80)
            {
                if (!char.IsWhiteSpace((char)bytes[at])) break;
                at++;
                continue;
            }

            Rune.DecodeFromUtf8(bytes[at..], out var rune, out int consumed);
            if (!rune.IsBmp || !char.IsWhiteSpace((char)rune.Value)) break;
            at += consumed;
        }

        return at;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int TrailingWhiteSpace(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.Length;
        while (end > 0)
        {
            if (bytes[end - 1] < 0x80)
            {
                if (!char.IsWhiteSpace((char)bytes[end - 1])) break;
                end--;
                continue;
            }

            Rune.DecodeLastFromUtf8(bytes[..end], out var rune, out int consumed);
            if (!rune.IsBmp || !char.IsWhiteSpace((char)rune.Value)) break;
            end -= consumed;
        }

        return bytes.Length - end;
    }
}
