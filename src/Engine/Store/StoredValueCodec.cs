using System.Buffers.Binary;
using System.Text;

namespace Dsl.Engine.Store;

/// <summary>
/// The bytes of a stored value: a format byte (1), a type tag, the write time (UTC ticks, 8 bytes little-endian), then
/// the value: nothing for null, 8 bytes for double/long/DateTime/TimeSpan, 4 for int/float/DateOnly, 1 for bool,
/// 16 for decimal, UTF-8 for a string. Bytes this codec did not write (another format, a truncated value) decode to
/// null, which the store reports as "nothing stored": the feature is then computed, never guessed.
/// </summary>
public static class StoredValueCodec
{
    private const byte Format = 1;

    private enum Tag : byte
    {
        Null,
        Double,
        Long,
        Bool,
        String,
        DateTime,
        Int,
        Float,
        Decimal,
        TimeSpan,
        DateOnly,
    }

    /// <summary>The bytes of <paramref name="value"/> written at <paramref name="writtenAt"/>.</summary>
    /// <exception cref="ArgumentException">The value's type is not one the store holds.</exception>
    public static byte[] Encode(object? value, DateTime writtenAt)
    {
        var bytes = new byte[EncodedLength(value)];
        Encode(value, writtenAt, bytes);
        return bytes;
    }

    /// <summary>How many bytes <see cref="Encode(object?, DateTime, Span{byte})"/> writes for <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">The value's type is not one the store holds.</exception>
    public static int EncodedLength(object? value) => HeaderLength + TagAndSize(value).Size;

    /// <summary>
    /// Writes the bytes of <paramref name="value"/> written at <paramref name="writtenAt"/> into <paramref name="destination"/>,
    /// which holds exactly <see cref="EncodedLength"/> bytes (callers that build a request write values in place, no array each).
    /// </summary>
    public static void Encode(object? value, DateTime writtenAt, Span<byte> destination)
    {
        var (tag, size) = TagAndSize(value);
        if (destination.Length != HeaderLength + size)
            throw new ArgumentException($"The value needs {HeaderLength + size} bytes; the destination has {destination.Length}.", nameof(destination));
        destination[0] = Format;
        destination[1] = (byte)tag;
        BinaryPrimitives.WriteInt64LittleEndian(destination[2..], Utc(writtenAt).Ticks);
        var payload = destination[HeaderLength..];
        switch (value)
        {
            case double d: BinaryPrimitives.WriteDoubleLittleEndian(payload, d); break;
            case long l: BinaryPrimitives.WriteInt64LittleEndian(payload, l); break;
            case bool b: payload[0] = b ? (byte)1 : (byte)0; break;
            case string s: Encoding.UTF8.GetBytes(s, payload); break;
            case DateTime t: BinaryPrimitives.WriteInt64LittleEndian(payload, Utc(t).Ticks); break;
            case int i: BinaryPrimitives.WriteInt32LittleEndian(payload, i); break;
            case float f: BinaryPrimitives.WriteSingleLittleEndian(payload, f); break;
            case decimal m:
                Span<int> bits = stackalloc int[4];
                decimal.GetBits(m, bits);
                for (var k = 0; k < 4; k++) BinaryPrimitives.WriteInt32LittleEndian(payload[(4 * k)..], bits[k]);
                break;
            case TimeSpan span: BinaryPrimitives.WriteInt64LittleEndian(payload, span.Ticks); break;
            case DateOnly date: BinaryPrimitives.WriteInt32LittleEndian(payload, date.DayNumber); break;
        }
    }

    // The format byte, the type tag and the write time.
    private const int HeaderLength = 10;

    private static (Tag Tag, int Size) TagAndSize(object? value) => value switch
    {
        null => (Tag.Null, 0),
        double => (Tag.Double, 8),
        long => (Tag.Long, 8),
        bool => (Tag.Bool, 1),
        string s => (Tag.String, Encoding.UTF8.GetByteCount(s)),
        DateTime => (Tag.DateTime, 8),
        int => (Tag.Int, 4),
        float => (Tag.Float, 4),
        decimal => (Tag.Decimal, 16),
        TimeSpan => (Tag.TimeSpan, 8),
        DateOnly => (Tag.DateOnly, 4),
        _ => throw new ArgumentException(
            $"The online store holds null, double, long, int, float, bool, string, DateTime, decimal, TimeSpan and DateOnly values; got {value.GetType().Name}.", nameof(value)),
    };

    /// <summary>The value and write time in <paramref name="bytes"/>, or null when they are not a value this codec wrote.</summary>
    public static StoredValue? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength || bytes[0] != Format) return null;
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(bytes[2..]);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return null;
        var writtenAt = new DateTime(ticks, DateTimeKind.Utc);
        var payload = bytes[HeaderLength..];
        try
        {
            object? value = (Tag)bytes[1] switch
            {
                Tag.Null when payload.Length == 0 => null,
                Tag.Double when payload.Length == 8 => BinaryPrimitives.ReadDoubleLittleEndian(payload),
                Tag.Long when payload.Length == 8 => BinaryPrimitives.ReadInt64LittleEndian(payload),
                Tag.Bool when payload.Length == 1 && payload[0] <= 1 => payload[0] == 1,
                Tag.String => s_strictUtf8.GetString(payload),
                Tag.DateTime when payload.Length == 8 => new DateTime(BinaryPrimitives.ReadInt64LittleEndian(payload), DateTimeKind.Utc),
                Tag.Int when payload.Length == 4 => BinaryPrimitives.ReadInt32LittleEndian(payload),
                Tag.Float when payload.Length == 4 => BinaryPrimitives.ReadSingleLittleEndian(payload),
                Tag.Decimal when payload.Length == 16 => ReadDecimal(payload),
                Tag.TimeSpan when payload.Length == 8 => new TimeSpan(BinaryPrimitives.ReadInt64LittleEndian(payload)),
                Tag.DateOnly when payload.Length == 4 => DateOnly.FromDayNumber(BinaryPrimitives.ReadInt32LittleEndian(payload)),
                _ => throw new FormatException("not a stored value"),
            };
            return new StoredValue(value, writtenAt);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static readonly UTF8Encoding s_strictUtf8 = new(false, throwOnInvalidBytes: true);

    private static decimal ReadDecimal(ReadOnlySpan<byte> payload)
    {
        Span<int> bits = stackalloc int[4];
        for (var k = 0; k < 4; k++) bits[k] = BinaryPrimitives.ReadInt32LittleEndian(payload[(4 * k)..]);
        return new decimal(bits);
    }

    /// <summary>A time as UTC: a local time converted, an unspecified one taken as UTC already (the DSL's timestamps are UTC).</summary>
    private static DateTime Utc(DateTime time) => time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);
}
