using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Dsl.Streams.Parsing;

/// <summary>
/// One column of a batch of messages being read: values written at a row index (the same arrays reused batch after batch, so
/// reading a message allocates nothing), a validity bit per row, and an Arrow array over them when the batch is done (the
/// arrays themselves, not copies: the array is valid until the next batch is read into the buffer).
/// </summary>
internal abstract class ColumnBuffer
{
    private byte[] _validity = new byte[512];

    /// <summary>The buffer for a column of values of <paramref name="type"/> (one of the message value types).</summary>
    public static ColumnBuffer For(Type type) => type switch
    {
        _ when type == typeof(bool) => new BooleanColumn(),
        _ when type == typeof(int) => new Int32Column(),
        _ when type == typeof(long) => new Int64Column(),
        _ when type == typeof(float) => new FloatColumn(),
        _ when type == typeof(double) => new DoubleColumn(),
        _ when type == typeof(string) => new StringColumn(),
        _ when type == typeof(DateTime) => new TimestampColumn(),
        _ => throw new NotSupportedException($"No column buffer for {type}."),
    };

    /// <summary>The Arrow type of the column.</summary>
    public abstract IArrowType ArrowType { get; }

    /// <summary>Makes room for rows up to <paramref name="rows"/> (exclusive).</summary>
    public void Reserve(int rows)
    {
        if (rows > _validity.Length * 8) System.Array.Resize(ref _validity, Math.Max(_validity.Length * 2, (rows + 7) / 8));
        ReserveValues(rows);
    }

    /// <summary>Marks <paramref name="row"/> null.</summary>
    public void SetNull(int row)
    {
        _validity[row >> 3] &= (byte)~(1 << (row & 7));
        SetDefault(row);
    }

    /// <summary>Marks <paramref name="row"/> as having a value.</summary>
    protected void SetValid(int row) => _validity[row >> 3] |= (byte)(1 << (row & 7));

    /// <summary>
    /// Reads the current JSON token (not null) into <paramref name="row"/>; returns null, or what is wrong (the token is of
    /// another kind or out of range).
    /// </summary>
    public abstract string? Read(ref Utf8JsonReader reader, int row);

    /// <summary>
    /// The scanner's path (<see cref="JsonScanner"/>): writes a JSON number (already checked to be one) into <paramref name="row"/>
    /// when its value is read here exactly as <see cref="Read"/> reads it; false otherwise (the message then goes to <see cref="Read"/>).
    /// </summary>
    public virtual bool TryScanNumber(ReadOnlySpan<byte> number, int row) => false;

    /// <summary>The scanner's path: writes a JSON string's content (no escapes, valid UTF-8) as <see cref="Read"/> would; false otherwise.</summary>
    public virtual bool TryScanString(ReadOnlySpan<byte> content, int row) => false;

    /// <summary>The scanner's path: writes <c>true</c> or <c>false</c> as <see cref="Read"/> would; false otherwise.</summary>
    public virtual bool TryScanBoolean(bool value, int row) => false;

    /// <summary>Writes a CLR value (of the column's type) into <paramref name="row"/>: the path of messages made by a parse function.</summary>
    public abstract void Write(int row, object value);

    /// <summary>Undoes what was written at <paramref name="row"/>, the last row (a message that turned out malformed).</summary>
    public virtual void Rollback(int row)
    {
    }

    /// <summary>
    /// The Arrow array of the first <paramref name="rows"/> rows, over the buffer's own arrays (no copy): it must not be read
    /// once rows of the next batch are written, so it is disposed of before that (the processor's batch is, within one call).
    /// </summary>
    public IArrowArray Build(int rows)
    {
        var validity = _validity.AsMemory(0, (rows + 7) / 8);
        var nulls = rows - Dsl.Streams.Parsing.Bits.CountSet(validity.Span, rows);
        var data = new ArrayData(ArrowType, rows, nulls, 0, [new ArrowBuffer(validity), .. ValueBuffers(rows)]);
        return ArrowArrayFactory.BuildArray(data);
    }

    protected abstract void ReserveValues(int rows);

    protected abstract void SetDefault(int row);

    protected abstract ArrowBuffer[] ValueBuffers(int rows);
}

/// <summary>A column of fixed-width values (kept as bytes, which the Arrow buffer is made over).</summary>
internal abstract class FixedColumn<T> : ColumnBuffer where T : unmanaged
{
    private byte[] _values = new byte[4096 * Unsafe.SizeOf<T>()];

    protected override void ReserveValues(int rows)
    {
        var bytes = rows * Unsafe.SizeOf<T>();
        if (bytes > _values.Length) System.Array.Resize(ref _values, Math.Max(_values.Length * 2, bytes));
    }

    protected override void SetDefault(int row) => MemoryMarshal.Cast<byte, T>(_values.AsSpan())[row] = default;

    protected void Set(int row, T value)
    {
        MemoryMarshal.Cast<byte, T>(_values.AsSpan())[row] = value;
        SetValid(row);
    }

    public override void Write(int row, object value) => Set(row, (T)value);

    protected override ArrowBuffer[] ValueBuffers(int rows) => [new ArrowBuffer(_values.AsMemory(0, rows * Unsafe.SizeOf<T>()))];
}

internal sealed class Int32Column : FixedColumn<int>
{
    public override IArrowType ArrowType => Int32Type.Default;

    public override string? Read(ref Utf8JsonReader reader, int row)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value)) return "is not an int (a whole number within ±2^31)";
        Set(row, value);
        return null;
    }

    public override bool TryScanNumber(ReadOnlySpan<byte> number, int row)
    {
        if (!WholeNumbers.TryParse(number, out var value) || value is < int.MinValue or > int.MaxValue) return false;
        Set(row, (int)value);
        return true;
    }
}

internal sealed class Int64Column : FixedColumn<long>
{
    public override IArrowType ArrowType => Int64Type.Default;

    public override string? Read(ref Utf8JsonReader reader, int row)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value)) return "is not a long (a whole number within ±2^63)";
        Set(row, value);
        return null;
    }

    public override bool TryScanNumber(ReadOnlySpan<byte> number, int row)
    {
        if (!WholeNumbers.TryParse(number, out var value)) return false;
        Set(row, value);
        return true;
    }
}

internal sealed class FloatColumn : FixedColumn<float>
{
    public override IArrowType ArrowType => FloatType.Default;

    public override string? Read(ref Utf8JsonReader reader, int row)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetSingle(out var value)) return "is not a number";
        Set(row, value);
        return null;
    }

    /// <summary>
    /// Short decimals only: with at most 7 significant digits and 10 decimals, the digits and the power of ten are exact floats,
    /// and their quotient computed in double and rounded to float is the correctly rounded float quotient (double has more than
    /// twice float's precision, so the double rounding is innocuous) — the float nearest the decimal, as the reader gives.
    /// </summary>
    public override bool TryScanNumber(ReadOnlySpan<byte> number, int row)
    {
        if (!ExactDecimals.TryParse(number, out var value, maxDigits: 7, maxDecimals: 10)) return false;
        Set(row, (float)value);
        return true;
    }
}

internal sealed class DoubleColumn : FixedColumn<double>
{
    public override IArrowType ArrowType => DoubleType.Default;

    public override string? Read(ref Utf8JsonReader reader, int row)
    {
        if (reader.TokenType != JsonTokenType.Number) return "is not a number";
        if (!ExactDecimals.TryParse(reader.ValueSpan, out var value) && !reader.TryGetDouble(out value)) return "is not a number";
        Set(row, value);
        return null;
    }

    public override bool TryScanNumber(ReadOnlySpan<byte> number, int row)
    {
        if (!ExactDecimals.TryParse(number, out var value)) return false;
        Set(row, value);
        return true;
    }
}

/// <summary>
/// Short JSON decimals (<c>12.5</c>, <c>-0.25</c>) read without the general parser: with at most 15 significant digits and no
/// exponent, the digits as an integer and the power of ten are both exact doubles, so one division is the correctly rounded
/// value — the very double the general parser gives. Anything else is declined (and read by the general parser).
/// </summary>
internal static class ExactDecimals
{
    private static readonly double[] s_powersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>The value of a JSON number token (already validated by the reader) of the short form, or false.</summary>
    public static bool TryParse(ReadOnlySpan<byte> number, out double value) => TryParse(number, out value, maxDigits: 15, maxDecimals: 15);

    /// <summary>
    /// The value of a JSON number token (already validated) with at most <paramref name="maxDigits"/> significant digits (at
    /// most 15) and <paramref name="maxDecimals"/> after the point, and no exponent, as digits / 10^decimals; or false.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> number, out double value, int maxDigits, int maxDecimals)
    {
        value = 0;
        var negative = number.Length > 0 && number[0] == (byte)'-';
        var at = negative ? 1 : 0;
        long digits = 0;
        var count = 0;
        var fraction = -1;
        for (; at < number.Length; at++)
        {
            var b = number[at];
            if (b == (byte)'.' && fraction < 0)
            {
                fraction = 0;
                continue;
            }
            var digit = b - (byte)'0';
            if ((uint)digit > 9 || ++count > maxDigits) return false;
            digits = digits * 10 + digit;
            if (fraction >= 0) fraction++;
        }
        if (count == 0 || fraction > maxDecimals) return false;
        var magnitude = fraction > 0 ? digits / s_powersOfTen[fraction] : digits;
        value = negative ? -magnitude : magnitude;
        return true;
    }
}

/// <summary>
/// Whole JSON numbers (<c>-?[0-9]+</c>, already validated) of at most 18 digits, which a long always holds; anything longer or
/// with a fraction or exponent is declined (and read by the general reader, which decides whether it is an int or a long).
/// </summary>
internal static class WholeNumbers
{
    /// <summary>The value of <paramref name="number"/>, or false.</summary>
    public static bool TryParse(ReadOnlySpan<byte> number, out long value)
    {
        value = 0;
        var negative = number.Length > 0 && number[0] == (byte)'-';
        var digits = negative ? number[1..] : number;
        if (digits.IsEmpty || digits.Length > 18) return false;
        foreach (var b in digits)
        {
            var digit = b - (byte)'0';
            if ((uint)digit > 9) return false;
            value = value * 10 + digit;
        }
        if (negative) value = -value;
        return true;
    }
}

/// <summary>Timestamps as nanoseconds since the Unix epoch, UTC (the runtime's <see cref="DateTime"/> column type).</summary>
internal sealed class TimestampColumn : FixedColumn<long>
{
    private static readonly TimestampType s_type = new(TimeUnit.Nanosecond, "UTC");

    public override IArrowType ArrowType => s_type;

    public override string? Read(ref Utf8JsonReader reader, int row)
    {
        if (reader.TokenType != JsonTokenType.String) return "is not a timestamp (an ISO 8601 string)";
        if (!UtcTimestamps.TryRead(ref reader, out var ticks)) return "is not an ISO 8601 timestamp";
        Set(row, (ticks - DateTime.UnixEpoch.Ticks) * 100);
        return null;
    }

    // The reader's path tries the same fast form first on a string without escapes; every other form goes to the reader.
    public override bool TryScanString(ReadOnlySpan<byte> content, int row)
    {
        if (!UtcTimestamps.TryParseZulu(content, out var ticks)) return false;
        Set(row, (ticks - DateTime.UnixEpoch.Ticks) * 100);
        return true;
    }

    public override void Write(int row, object value)
    {
        var time = (DateTime)value;
        var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time;
        Set(row, (utc.Ticks - DateTime.UnixEpoch.Ticks) * 100);
    }
}

internal sealed class BooleanColumn : ColumnBuffer
{
    private byte[] _bits = new byte[512];

    public override IArrowType ArrowType => BooleanType.Default;

    public override string? Read(ref Utf8JsonReader reader, int row)
    {
        if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False)) return "is not true or false";
        Set(row, reader.TokenType == JsonTokenType.True);
        return null;
    }

    public override bool TryScanBoolean(bool value, int row)
    {
        Set(row, value);
        return true;
    }

    public override void Write(int row, object value) => Set(row, (bool)value);

    /// <summary>Writes a presence flag or a value.</summary>
    public void Set(int row, bool value)
    {
        if (value) _bits[row >> 3] |= (byte)(1 << (row & 7));
        else _bits[row >> 3] &= (byte)~(1 << (row & 7));
        SetValid(row);
    }

    protected override void ReserveValues(int rows)
    {
        if (rows > _bits.Length * 8) System.Array.Resize(ref _bits, Math.Max(_bits.Length * 2, (rows + 7) / 8));
    }

    protected override void SetDefault(int row) => _bits[row >> 3] &= (byte)~(1 << (row & 7));

    protected override ArrowBuffer[] ValueBuffers(int rows) => [new ArrowBuffer(_bits.AsMemory(0, (rows + 7) / 8))];
}

/// <summary>UTF-8 strings: offsets and bytes, written straight from the JSON (unescaped only when the JSON escapes).</summary>
internal sealed class StringColumn : ColumnBuffer
{
    private byte[] _offsetBytes = new byte[4097 * sizeof(int)];
    private byte[] _data = new byte[1 << 16];

    private Span<int> Offsets => MemoryMarshal.Cast<byte, int>(_offsetBytes.AsSpan());

    public override IArrowType ArrowType => StringType.Default;

    public override string? Read(ref Utf8JsonReader reader, int row)
    {
        if (reader.TokenType != JsonTokenType.String) return "is not a string";
        var start = Offsets[row];
        var raw = reader.ValueSpan;
        Ensure(start + raw.Length);
        var length = reader.ValueIsEscaped ? reader.CopyString(_data.AsSpan(start)) : Copy(raw, start);
        Offsets[row + 1] = start + length;
        SetValid(row);
        return null;
    }

    public override bool TryScanString(ReadOnlySpan<byte> content, int row)
    {
        SetUtf8(row, content);
        return true;
    }

    /// <summary>Writes UTF-8 bytes already validated (a whole message, or a JSON string without escapes).</summary>
    public void SetUtf8(int row, ReadOnlySpan<byte> utf8)
    {
        var start = Offsets[row];
        Ensure(start + utf8.Length);
        Offsets[row + 1] = start + Copy(utf8, start);
        SetValid(row);
    }

    public override void Write(int row, object value)
    {
        var text = (string)value;
        var start = Offsets[row];
        Ensure(start + System.Text.Encoding.UTF8.GetMaxByteCount(text.Length));
        Offsets[row + 1] = start + System.Text.Encoding.UTF8.GetBytes(text, _data.AsSpan(start));
        SetValid(row);
    }

    public override void Rollback(int row) => Offsets[row + 1] = Offsets[row];

    protected override void ReserveValues(int rows)
    {
        if ((rows + 1) * sizeof(int) > _offsetBytes.Length) System.Array.Resize(ref _offsetBytes, Math.Max(_offsetBytes.Length * 2, (rows + 1) * sizeof(int)));
    }

    protected override void SetDefault(int row) => Offsets[row + 1] = Offsets[row];

    protected override ArrowBuffer[] ValueBuffers(int rows) =>
        [new ArrowBuffer(_offsetBytes.AsMemory(0, (rows + 1) * sizeof(int))), new ArrowBuffer(_data.AsMemory(0, Offsets[rows]))];

    private int Copy(ReadOnlySpan<byte> bytes, int start)
    {
        bytes.CopyTo(_data.AsSpan(start));
        return bytes.Length;
    }

    private void Ensure(int bytes)
    {
        if (bytes > _data.Length) System.Array.Resize(ref _data, Math.Max(_data.Length * 2, bytes));
    }
}

/// <summary>Bit counting over validity bitmaps.</summary>
internal static class Bits
{
    /// <summary>How many of the first <paramref name="count"/> bits are set.</summary>
    public static int CountSet(ReadOnlySpan<byte> bits, int count)
    {
        var set = 0;
        var whole = count >> 3;
        for (var i = 0; i < whole; i++) set += System.Numerics.BitOperations.PopCount(bits[i]);
        for (var i = whole << 3; i < count; i++) set += (bits[i >> 3] >> (i & 7)) & 1;
        return set;
    }
}
