using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Dsl.Codegen.Columns;

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
        var needle = separator.Bytes;
        if (needle.Length == 1) return SplitPartAtByte(text, needle[0], index);
        var bytes = Instance(text);
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

    /// <summary>
    /// <see cref="SplitPart"/> for a one-byte (ASCII) separator: byte searches, no needle compare. Small enough to be
    /// inlined into a kernel, where the separator and the index are constants (<c>s.Split('@')[0]</c> is one search).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Utf8Text SplitPartAtByte(Utf8Text text, byte separator, int index)
    {
        var bytes = Instance(text);
        if (index < 0) throw new IndexOutOfRangeException();
        int start = 0;
        for (int part = 0; part < index; part++)
        {
            int found = bytes[start..].IndexOf(separator);
            if (found < 0) throw new IndexOutOfRangeException();
            start += found + 1;
        }

        int length = bytes[start..].IndexOf(separator);
        return text.Slice(start, length < 0 ? bytes.Length - start : length);
    }

    /// <summary><c>s.Split(separator)</c> whose parts are not used: it fails only on a null string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
        int found = old.Length == 1 ? bytes.IndexOf(old[0]) : bytes.IndexOf(old);
        if (found < 0) return text;
        if (old.Length == 1 && replacement.IsEmpty && bytes.Length - found <= 64) return RemoveByte(text, bytes, found, old[0], arena);
        // A replacement no longer than what it replaces fits in the text's length; a longer one needs the count.
        int most = replacement.Length <= old.Length ? bytes.Length : checked(bytes.Length + (bytes.Count(old) * (replacement.Length - old.Length)));
        var destination = arena.Reserve(most);
        int written = 0;
        while (found >= 0)
        {
            bytes[..found].CopyTo(destination[written..]);
            written += found;
            replacement.CopyTo(destination[written..]);
            written += replacement.Length;
            bytes = bytes[(found + old.Length)..];
            found = old.Length == 1 ? bytes.IndexOf(old[0]) : bytes.IndexOf(old);
        }

        bytes.CopyTo(destination[written..]);
        return arena.Commit(written + bytes.Length, text.IsAscii && newValue.IsAscii);
    }

    /// <summary>
    /// <c>Replace</c> of a one-byte value by nothing (<c>Replace(".", "")</c>) over a short rest, from its first occurrence
    /// at <paramref name="found"/>: one pass that keeps every other byte, with no search or copy call per occurrence.
    /// </summary>
    private static Utf8Text RemoveByte(Utf8Text text, ReadOnlySpan<byte> bytes, int found, byte removed, Utf8Arena arena)
    {
        var destination = arena.Reserve(bytes.Length);
        bytes[..found].CopyTo(destination);
        int written = found;
        ref byte to = ref MemoryMarshal.GetReference(destination);
        for (int k = found + 1; k < bytes.Length; k++)
        {
            byte b = bytes[k];
            Unsafe.Add(ref to, written) = b; // always in range: written <= k < bytes.Length
            written += b != removed ? 1 : 0;
        }

        return arena.Commit(written, text.IsAscii);
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
        // A missing part (default) has no bytes, as null; it counts as ASCII.
        bool ascii = (a.IsAscii || a.Length <= 0) && (b.IsAscii || b.Length <= 0) && (c.IsAscii || c.Length <= 0) && (d.IsAscii || d.Length <= 0);
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
        return arena.Commit(written + d.Bytes.Length, ascii);
    }

    /// <summary>
    /// <c>s.ToLowerInvariant()</c> (or upper) as a row's result, written straight into the output range: ASCII text is
    /// mapped into the range's bytes (no copy through the arena); other text takes <see cref="ChangeCase"/>'s exact path.
    /// Returns true (the value is never null); a null text throws as the string method does, before anything is appended.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool AppendCased(Utf8RangeWriter output, Utf8Text text, Utf8Arena arena, bool upper)
    {
        var bytes = Instance(text);
        if (text.IsAscii || Ascii.IsValid(bytes))
        {
            var destination = output.Reserve(bytes.Length);
            if (!AsciiCase(bytes, destination, upper) && bytes.Length >= AsciiCaseVectorBytes) bytes.CopyTo(destination);
            output.Advance(bytes.Length);
            return true;
        }

        output.AppendUtf8(ChangeCase(text, arena, upper).Bytes);
        return true;
    }

    /// <summary>
    /// <c>s.Replace(oldValue, newValue).ToLowerInvariant()</c> (or upper) as a row's result, written straight into the
    /// output range. Removing one ASCII byte (<c>Replace(".", "")</c>, as W3's gmail rule does) from short ASCII text is
    /// one pass that drops the byte and maps the case of the rest (no copy through the arena); anything else takes
    /// <see cref="Replace"/> then <see cref="AppendCased"/>, as unfused. A null text throws as Replace does, first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool AppendReplacedCased(Utf8RangeWriter output, Utf8Text text, Utf8Text oldValue, Utf8Text newValue, Utf8Arena arena, bool upper)
    {
        var bytes = Instance(text);
        if (oldValue.IsNull || oldValue.Length != 1 || newValue.Length != 0 || bytes.Length > AsciiCaseVectorBytes || !(text.IsAscii || Ascii.IsValid(bytes)))
            return AppendCased(output, Replace(text, oldValue, newValue, arena), arena, upper);

        byte removed = oldValue.Bytes[0];
        uint first = upper ? 'a' : 'A';
        ref byte to = ref MemoryMarshal.GetReference(output.Reserve(bytes.Length));
        int written = 0;
        foreach (byte b in bytes)
        {
            // Every byte is stored; only a kept one advances (always in range: written <= the bytes read so far).
            Unsafe.Add(ref to, written) = (byte)(b ^ ((uint)(b - first) <= 'Z' - 'A' ? 0x20 : 0));
            written += b != removed ? 1 : 0;
        }

        output.Advance(written);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Utf8Text ChangeCase(Utf8Text text, Utf8Arena arena, bool upper)
    {
        var bytes = Instance(text);
        if (text.IsAscii || Ascii.IsValid(bytes))
        {
            var destination = arena.Reserve(bytes.Length);
            // Nothing changed: the text is its own result, and the reservation is not kept.
            return AsciiCase(bytes, destination, upper) ? arena.Commit(bytes.Length, isAscii: true) : new Utf8Text(text.Address, text.Length, isAscii: true);
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

    /// <summary>Texts this long or longer are case-mapped with the vectorized <see cref="Ascii"/> methods.</summary>
    private const int AsciiCaseVectorBytes = 64;

    /// <summary>
    /// ASCII case mapping of ASCII bytes into <paramref name="destination"/>; whether any byte changed. Short strings,
    /// which rows usually hold, are mapped eight bytes at a time without branches (a letter's case is data, so a
    /// branch per byte mispredicts); the vectorized mapping takes longer ones. The destination holds the mapped bytes
    /// afterwards, except when a text of <see cref="AsciiCaseVectorBytes"/> or more had no letter to change (false).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AsciiCase(ReadOnlySpan<byte> source, Span<byte> destination, bool upper)
    {
        byte first = upper ? (byte)'a' : (byte)'A';
        if (source.Length >= AsciiCaseVectorBytes)
        {
            if (source.IndexOfAnyInRange(first, (byte)(first + 25)) < 0) return false;
            if (upper) Ascii.ToUpper(source, destination, out _);
            else Ascii.ToLower(source, destination, out _);
            return true;
        }

        // For an ASCII byte b, b + (0x80 - first) has its top bit set from the first letter on, and
        // b + (0x80 - last - 1) from past the last: their XOR's top bit marks the letters, and >> 2 makes it 0x20,
        // the case bit. No byte's sum carries into the next (ASCII bytes are below 0x80).
        const ulong Ones = 0x0101010101010101UL;
        ulong fromFirst = Ones * (ulong)(0x80 - first);
        ulong pastLast = Ones * (ulong)(0x80 - first - 26);
        destination = destination[..source.Length];
        ulong changed = 0;
        int k = 0;
        ref byte from = ref MemoryMarshal.GetReference(source);
        ref byte to = ref MemoryMarshal.GetReference(destination);
        for (; k + 8 <= source.Length; k += 8)
        {
            ulong x = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, k));
            ulong caseBits = (((x + fromFirst) ^ (x + pastLast)) & (Ones * 0x80)) >> 2;
            changed |= caseBits;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, k), x ^ caseBits);
        }

        if (k < source.Length && source.Length >= 8)
        {
            // The last eight bytes, overlapping ones already mapped: mapping reads the source, so they are written the same.
            k = source.Length - 8;
            ulong x = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, k));
            ulong caseBits = (((x + fromFirst) ^ (x + pastLast)) & (Ones * 0x80)) >> 2;
            changed |= caseBits;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, k), x ^ caseBits);
            k = source.Length;
        }

        for (; k < source.Length; k++)
        {
            uint b = Unsafe.Add(ref from, k);
            uint caseBit = (((b + (uint)(0x80 - first)) ^ (b + (uint)(0x80 - first - 26))) & 0x80) >> 2;
            changed |= caseBit;
            Unsafe.Add(ref to, k) = (byte)(b ^ caseBit);
        }

        return changed != 0;
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
