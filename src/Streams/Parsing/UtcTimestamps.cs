using System.Text.Json;

namespace Dsl.Streams.Parsing;

/// <summary>
/// Reads ISO 8601 timestamps from JSON strings. The common form of a message's time — <c>yyyy-MM-ddTHH:mm:ss</c>, an optional
/// fraction of 1 to 7 digits and <c>Z</c> — is read straight from its bytes (the general reader costs about as much as the rest
/// of a small message); every other form goes to <see cref="Utf8JsonReader.TryGetDateTimeOffset"/> and
/// <see cref="Utf8JsonReader.TryGetDateTime"/>, so what is accepted, and its value, is exactly theirs.
/// </summary>
internal static class UtcTimestamps
{
    /// <summary>The UTC ticks of the JSON string at the reader, or false when it is not an ISO 8601 timestamp.</summary>
    public static bool TryRead(ref Utf8JsonReader reader, out long utcTicks)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && TryParseZulu(reader.ValueSpan, out utcTicks)) return true;
        if (reader.TryGetDateTimeOffset(out var withOffset))
        {
            utcTicks = withOffset.UtcTicks;
            return true;
        }
        if (reader.TryGetDateTime(out var time))
        {
            utcTicks = time.Ticks;
            return true;
        }
        utcTicks = 0;
        return false;
    }

    /// <summary>
    /// <c>yyyy-MM-ddTHH:mm:ss[.f{1,7}]Z</c> with every field in range, as UTC ticks; false for anything else (which the general
    /// reader then decides on).
    /// </summary>
    internal static bool TryParseZulu(ReadOnlySpan<byte> text, out long ticks)
    {
        ticks = 0;
        if (text.Length < 20 || text.Length > 28 || text[^1] != (byte)'Z') return false;
        // Every check of the fixed part at once (non-short-circuit '|': no branch per character).
        if ((text[4] != (byte)'-') | (text[7] != (byte)'-') | (text[10] != (byte)'T') | (text[13] != (byte)':') | (text[16] != (byte)':')) return false;
        int y0 = text[0] - '0', y1 = text[1] - '0', y2 = text[2] - '0', y3 = text[3] - '0', mo0 = text[5] - '0', mo1 = text[6] - '0';
        int d0 = text[8] - '0', d1 = text[9] - '0', h0 = text[11] - '0', h1 = text[12] - '0', mi0 = text[14] - '0', mi1 = text[15] - '0';
        int s0 = text[17] - '0', s1 = text[18] - '0';
        if (((uint)y0 > 9) | ((uint)y1 > 9) | ((uint)y2 > 9) | ((uint)y3 > 9) | ((uint)mo0 > 9) | ((uint)mo1 > 9) | ((uint)d0 > 9) | ((uint)d1 > 9)
            | ((uint)h0 > 9) | ((uint)h1 > 9) | ((uint)mi0 > 9) | ((uint)mi1 > 9) | ((uint)s0 > 9) | ((uint)s1 > 9)) return false;
        int year = y0 * 1000 + y1 * 100 + y2 * 10 + y3, month = mo0 * 10 + mo1, day = d0 * 10 + d1;
        int hour = h0 * 10 + h1, minute = mi0 * 10 + mi1, second = s0 * 10 + s1;
        if ((year < 1) | ((uint)(month - 1) > 11) | (day < 1) | (hour > 23) | (minute > 59) | (second > 59)) return false;
        var leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
        var daysToMonth = leap ? s_daysToMonthLeap : s_daysToMonth;
        if (day > daysToMonth[month] - daysToMonth[month - 1]) return false;
        long fraction = 0;
        var digits = text.Length - 21;
        if (digits > 0)
        {
            if (text[19] != (byte)'.') return false;
            foreach (var b in text.Slice(20, digits))
            {
                var digit = b - '0';
                if ((uint)digit > 9) return false;
                fraction = fraction * 10 + digit;
            }
            fraction *= s_fractionScale[digits];
        }
        else if (text.Length != 20) return false;
        // As DateTime counts: whole days since 0001-01-01, then the time of day (the fields are in range, checked above).
        var y = year - 1;
        long days = y * 365 + y / 4 - y / 100 + y / 400 + daysToMonth[month - 1] + day - 1;
        ticks = days * TimeSpan.TicksPerDay + (hour * 3600L + minute * 60 + second) * TimeSpan.TicksPerSecond + fraction;
        return true;
    }

    // Ticks per unit of a fraction of n digits (n = 1..7): 10^(7-n).
    private static readonly long[] s_fractionScale = [0, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

    private static readonly int[] s_daysToMonth = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
    private static readonly int[] s_daysToMonthLeap = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366];
}
