using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen.Scalar;

/// <summary>
/// String operations evaluated on a row's UTF-8 bytes without creating a <see cref="string"/>, each exactly
/// equal to the .NET operation on the decoded string: lengths count UTF-16 units of the decoded text (as
/// <see cref="Encoding.UTF8"/> decodes, replacement characters included); comparisons with a well-formed
/// constant compare bytes when the row is valid UTF-8 (UTF-8 preserves code point order and boundaries, so a
/// byte match is a UTF-16 ordinal match) and decode otherwise. A null row behaves as a null string: instance
/// operations throw <see cref="NullReferenceException"/>.
/// </summary>
internal static class Utf8Ops
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> Bytes(nint offsets, nint data, long row, bool large)
    {
        long start = large ? NativeAccess.Read<long>(offsets, row) : NativeAccess.Read<int>(offsets, row);
        long end = large ? NativeAccess.Read<long>(offsets, row + 1) : NativeAccess.Read<int>(offsets, row + 1);
        return end == start ? [] : NativeAccess.Span<byte>(data, start, (int)(end - start));
    }

    /// <summary><c>s.Length</c>.</summary>
    public static int Length(nint offsets, nint data, long row, bool large, bool valid)
    {
        if (!valid) throw new NullReferenceException();
        var bytes = Bytes(offsets, data, row, large);
        return System.Text.Ascii.IsValid(bytes) ? bytes.Length : Encoding.UTF8.GetCharCount(bytes);
    }

    /// <summary><c>s == constant</c> for a non-null, well-formed constant.</summary>
    public static bool EqualsConstant(nint offsets, nint data, long row, bool large, bool valid, byte[] constantUtf8, string constant)
    {
        if (!valid) return false;
        var bytes = Bytes(offsets, data, row, large);
        if (bytes.SequenceEqual(constantUtf8)) return true;
        return !Utf8.IsValid(bytes) && Encoding.UTF8.GetString(bytes) == constant;
    }

    /// <summary><c>s.StartsWith(constant, StringComparison.Ordinal)</c> for a well-formed constant.</summary>
    public static bool StartsWith(nint offsets, nint data, long row, bool large, bool valid, byte[] constantUtf8, string constant)
    {
        if (!valid) throw new NullReferenceException();
        var bytes = Bytes(offsets, data, row, large);
        if (bytes.StartsWith(constantUtf8)) return true;
        return !Utf8.IsValid(bytes) && Encoding.UTF8.GetString(bytes).StartsWith(constant, StringComparison.Ordinal);
    }

    /// <summary><c>s.EndsWith(constant, StringComparison.Ordinal)</c> for a well-formed constant.</summary>
    public static bool EndsWith(nint offsets, nint data, long row, bool large, bool valid, byte[] constantUtf8, string constant)
    {
        if (!valid) throw new NullReferenceException();
        var bytes = Bytes(offsets, data, row, large);
        if (bytes.EndsWith(constantUtf8)) return true;
        return !Utf8.IsValid(bytes) && Encoding.UTF8.GetString(bytes).EndsWith(constant, StringComparison.Ordinal);
    }

    /// <summary><c>s.Contains(constant)</c> (ordinal) for a well-formed constant.</summary>
    public static bool Contains(nint offsets, nint data, long row, bool large, bool valid, byte[] constantUtf8, string constant)
    {
        if (!valid) throw new NullReferenceException();
        var bytes = Bytes(offsets, data, row, large);
        if (bytes.IndexOf(constantUtf8) >= 0) return true;
        return !Utf8.IsValid(bytes) && Encoding.UTF8.GetString(bytes).Contains(constant, StringComparison.Ordinal);
    }

    /// <summary><c>string.IsNullOrEmpty(s)</c>.</summary>
    public static bool IsNullOrEmpty(nint offsets, nint data, long row, bool large, bool valid) =>
        !valid || Bytes(offsets, data, row, large).IsEmpty;

    /// <summary>Whether a constant survives a UTF-8 round trip (no lone surrogates), so byte comparisons are exact.</summary>
    public static bool IsWellFormed(string constant) => !constant.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') || Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(constant)) == constant;
}
