using System.Runtime.CompilerServices;
using System.Text;

namespace Dsl.Codegen.Scalar;

/// <summary><c>PadLeft</c> and <c>PadRight</c> with a constant padding character, built in the row's arena.</summary>
internal static partial class Utf8Ops
{
    /// <summary>Padding beyond this many characters is left to the string method (which may fail to allocate it).</summary>
    private const int MaxArenaPadding = 1 << 16;

    /// <summary>
    /// <c>s.PadLeft(totalWidth, padding)</c> for a padding character that is not a surrogate (encoded as
    /// <paramref name="padding"/>): the text itself when it has at least <paramref name="totalWidth"/> UTF-16 units,
    /// else that many units in all, the padding first. A negative width throws what .NET throws.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text PadLeft(Utf8Text text, int totalWidth, Utf8Text padding, Utf8Arena arena) => Pad(text, totalWidth, padding, arena, left: true);

    /// <summary><c>s.PadRight(totalWidth, padding)</c>, as <see cref="PadLeft"/> with the padding last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text PadRight(Utf8Text text, int totalWidth, Utf8Text padding, Utf8Arena arena) => Pad(text, totalWidth, padding, arena, left: false);

    private static Utf8Text Pad(Utf8Text text, int totalWidth, Utf8Text padding, Utf8Arena arena, bool left)
    {
        var bytes = Instance(text);
        if (totalWidth < 0) throw PadError(totalWidth);
        long count = (long)totalWidth - (text.IsAscii ? bytes.Length : Utf16Length(bytes));
        if (count <= 0) return text;
        var pad = padding.Bytes;
        if (count > MaxArenaPadding)
        {
            // The string method decides (its allocation may fail); its result is well-formed, as the text is.
            char c = padding.ToStringOrNull()![0];
            var whole = text.ToStringOrNull()!;
            return Encode(left ? whole.PadLeft(totalWidth, c) : whole.PadRight(totalWidth, c), arena);
        }

        int padBytes = (int)count * pad.Length;
        var destination = arena.Reserve(padBytes + bytes.Length);
        var padded = left ? destination[..padBytes] : destination.Slice(bytes.Length, padBytes);
        if (pad.Length == 1) padded.Fill(pad[0]);
        else for (int at = 0; at < padBytes; at += pad.Length) pad.CopyTo(padded[at..]);
        bytes.CopyTo(left ? destination[padBytes..] : destination);
        return arena.Commit(padBytes + bytes.Length, text.IsAscii && padding.IsAscii);
    }

    /// <summary>The exception the string's own PadLeft throws for a negative width (type and message).</summary>
    private static Exception PadError(int totalWidth)
    {
        try
        {
            _ = string.Empty.PadLeft(totalWidth);
        }
        catch (ArgumentOutOfRangeException error)
        {
            return error;
        }

        throw new InvalidOperationException("A negative width was accepted by string.PadLeft.");
    }
}
