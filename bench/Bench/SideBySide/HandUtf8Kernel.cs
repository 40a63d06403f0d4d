using System.Runtime.CompilerServices;
using System.Text;

namespace Dsl.Bench.SideBySide;

/// <summary>
/// W3 written by hand over UTF-8 spans: the e-mail user name (<see cref="DslEngines.Username"/>) with no
/// <see cref="string"/> per row, one search for '@', an ASCII fast path for the case mapping and the gmail rules
/// applied while copying. It reads the fixed-width e-mail records of <c>email.npy</c> (ASCII, NUL-padded) and writes
/// each row's result into its own slot of <see cref="UserNames"/>, so disjoint row ranges can run on different
/// threads; a row that is not ASCII takes the exact path (decode, <see cref="string.ToLowerInvariant"/>, encode).
/// </summary>
internal static class HandUtf8Kernel
{
    /// <summary>W3 over rows [start, start + length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UserName(NpyColumns c, UserNames output, int start, int length)
    {
        var width = c.EmailWidth;
        for (var i = start; i < start + length; i++)
        {
            var record = c.Email.AsSpan(i * width, width);
            var end = record.IndexOf((byte)0);
            var email = end < 0 ? record : record[..end];
            output.Lengths[i] = UserName(email, output.Bytes.AsSpan(i * output.Width, output.Width));
        }
    }

    /// <summary>Writes the user name of <paramref name="email"/> to <paramref name="destination"/>; returns its byte length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int UserName(ReadOnlySpan<byte> email, Span<byte> destination)
    {
        var at = email.IndexOf((byte)'@');
        var user = at < 0 ? email : email[..at];
        var gmail = email.EndsWith("@gmail.com"u8);
        if (gmail)
        {
            var plus = user.IndexOf((byte)'+');
            if (plus >= 0) user = user[..plus];
        }

        if (!Ascii.IsValid(email)) return Exact(email, destination);
        if (!gmail)
        {
            Ascii.ToLower(user, destination, out var written);
            return written;
        }

        var length = 0;
        foreach (var b in user)
        {
            if (b == (byte)'.') continue;
            destination[length++] = (byte)((uint)(b - 'A') <= 'Z' - 'A' ? b | 0x20 : b);
        }
        return length;
    }

    /// <summary>The resolver itself on the decoded row, for text that is not ASCII.</summary>
    private static int Exact(ReadOnlySpan<byte> email, Span<byte> destination)
    {
        var user = DslEngines.Username(Encoding.UTF8.GetString(email));
        if (Encoding.UTF8.GetByteCount(user) > destination.Length)
            throw new InvalidOperationException($"the user name of '{Encoding.UTF8.GetString(email)}' is longer in UTF-8 than its e-mail's slot");
        return Encoding.UTF8.GetBytes(user, destination);
    }
}

/// <summary>W3's output: one fixed-width slot of UTF-8 bytes per row and its length.</summary>
internal sealed class UserNames(int rows, int width)
{
    public int Width { get; } = width;
    public byte[] Bytes { get; } = new byte[(long)rows * width];
    public int[] Lengths { get; } = new int[rows];

    /// <summary>The checksum the other engines report for W3: UTF-16 lengths summed, nulls, distinct values.</summary>
    public object Checksum()
    {
        long lengths = 0;
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Lengths.Length; i++)
        {
            var text = Encoding.UTF8.GetString(Bytes, i * Width, Lengths[i]);
            lengths += text.Length;
            distinct.Add(text);
        }
        return new { sum = lengths, nulls = 0, distinct = distinct.Count };
    }
}
