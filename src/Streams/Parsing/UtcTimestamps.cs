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
        if (text[4] != (byte)'-' || text[7] != (byte)'-' || text[10] != (byte)'T' || text[13] != (byte)':' || text[16] != (byte)':') return false;
        if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second)) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
        var leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        var daysToMonth = leap ? s_daysToMonthLeap : s_daysToMonth;
        if (day > daysToMonth[month] - daysToMonth[month - 1]) return false;
        long fraction = 0;
        var digits = text.Length - 21;
        if (digits > 0)
        {
            if (text[19] != (byte)'.' || !Digits(text, 20, digits, out var value)) return false;
            fraction = value;
            for (var i = digits; i < 7; i++) fraction *= 10;
        }
        else if (text.Length != 20) return false;
        // As DateTime counts: whole days since 0001-01-01, then the time of day (the fields are in range, checked above).
        var y = year - 1;
        long days = y * 365 + y / 4 - y / 100 + y / 400 + daysToMonth[month - 1] + day - 1;
        ticks = days * TimeSpan.TicksPerDay + (hour * 3600L + minute * 60 + second) * TimeSpan.TicksPerSecond + fraction;
        return true;
    }

    private static readonly int[] s_daysToMonth = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
    private static readonly int[] s_daysToMonthLeap = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366];

    private static bool Digits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - (byte)'0';
            if ((uint)digit > 9) return false;
            value = value * 10 + digit;
        }
        return true;
    }
}
