using System.Runtime.CompilerServices;
using System.Text;

namespace Dsl.Codegen.Scalar;

/// <summary>
/// A string value inside a kernel row, as its UTF-8 bytes: a slice of an input column's data, of a pinned
/// constant, or of the row's <see cref="Utf8Arena"/>; or null.
/// </summary>
/// <remarks>
/// Invariant: the bytes are valid UTF-8 (an input row that is not is transcoded first, as
/// <see cref="Encoding.UTF8"/> decodes it), so they encode exactly the UTF-16 string the row-by-row path holds
/// (which then has no lone surrogate) and byte operations are ordinal string operations. The address stays
/// valid until the kernel run's arena is reset for the next row.
/// </remarks>
internal readonly unsafe struct Utf8Text
{
    /// <summary>The null string.</summary>
    public static readonly Utf8Text Null = new(0, -1);

    public Utf8Text(nint address, int length)
        : this(address, length, isAscii: false)
    {
    }

    /// <param name="address">The first byte.</param>
    /// <param name="length">The byte length; -1 for null.</param>
    /// <param name="isAscii">True only when every byte is known to be ASCII (false: unknown).</param>
    public Utf8Text(nint address, int length, bool isAscii)
    {
        Address = address;
        Length = length;
        IsAscii = isAscii;
    }

    public nint Address { get; }

    /// <summary>The byte length; -1 for null.</summary>
    public int Length { get; }

    /// <summary>
    /// True when every byte is known to be ASCII — then UTF-16 positions are byte offsets and ASCII casing is the
    /// invariant casing — so operations skip their own scan; false when unknown (the text may still be ASCII).
    /// </summary>
    public bool IsAscii { get; }

    public bool IsNull => Length < 0;

    public ReadOnlySpan<byte> Bytes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Length <= 0 ? [] : new((void*)Address, Length);
    }

    /// <summary>The text of a constant's array (see <see cref="PinnedUtf8"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Utf8Text Of(byte[] pinned) => new(IsolatedPinnedBytes.Start(pinned), IsolatedPinnedBytes.UsableLength(pinned));

    /// <summary>The text of a constant's array of ASCII bytes (a constant the rewriter checked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Utf8Text OfAscii(byte[] pinned) => new(IsolatedPinnedBytes.Start(pinned), IsolatedPinnedBytes.UsableLength(pinned), isAscii: true);

    /// <summary>
    /// The UTF-8 bytes of a well-formed constant in an array the GC never moves, on cache lines of their own
    /// (<see cref="IsolatedPinnedBytes"/>): every row on every thread reads them.
    /// </summary>
    public static byte[] PinnedUtf8(string constant)
    {
        var bytes = Encoding.UTF8.GetBytes(constant);
        var pinned = IsolatedPinnedBytes.Allocate(bytes.Length);
        bytes.CopyTo(IsolatedPinnedBytes.Usable(pinned));
        return pinned;
    }

    /// <summary>A part of the text (a slice of ASCII text is ASCII).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Utf8Text Slice(int start, int length) => new(Address + start, length, IsAscii);

    /// <summary>The string the row-by-row path holds (only where an operation needs a <see cref="string"/>).</summary>
    public string? ToStringOrNull() => IsNull ? null : Length == 0 ? string.Empty : Encoding.UTF8.GetString(Bytes);

    public override string ToString() => ToStringOrNull() ?? "null";
}
