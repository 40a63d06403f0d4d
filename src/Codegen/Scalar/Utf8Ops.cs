using System.Runtime.CompilerServices;
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
internal static partial class Utf8Ops
{
    /// <summary>
    /// Row <paramref name="row"/> of a utf8 (or large_utf8) column as text: a slice of the column's data, or,
    /// when the bytes are not valid UTF-8, their decoding (invalid sequences as U+FFFD) re-encoded in the arena.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Utf8Text Read(nint offsets, nint data, long row, bool large, bool valid, Utf8Arena arena)
    {
        if (!valid) return Utf8Text.Null;
        long start = large ? NativeAccess.Read<long>(offsets, row) : NativeAccess.Read<int>(offsets, row);
        long end = large ? NativeAccess.Read<long>(offsets, row + 1) : NativeAccess.Read<int>(offsets, row + 1);
        var text = new Utf8Text(data + (nint)start, checked((int)(end - start)));
        return Utf8.IsValid(text.Bytes) ? text : Transcode(text.Bytes, arena);
    }

    /// <summary><c>s.Length</c>: UTF-16 units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Length(Utf8Text text) => Utf16Length(Instance(text));

    /// <summary><c>a == b</c> (ordinal; null equals only null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Equal(Utf8Text a, Utf8Text b) =>
        a.IsNull || b.IsNull ? a.IsNull && b.IsNull : a.Bytes.SequenceEqual(b.Bytes);

    /// <summary><c>s.Equals(value)</c> (ordinal) for a non-null constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool EqualsOrdinal(Utf8Text text, Utf8Text value) => Instance(text).SequenceEqual(value.Bytes);

    /// <summary><c>s.StartsWith(value, StringComparison.Ordinal)</c> for a non-null constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool StartsWith(Utf8Text text, Utf8Text value) => Instance(text).StartsWith(value.Bytes);

    /// <summary><c>s.EndsWith(value, StringComparison.Ordinal)</c> for a non-null constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool EndsWith(Utf8Text text, Utf8Text value) => Instance(text).EndsWith(value.Bytes);

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
