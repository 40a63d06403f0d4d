using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;
using Npgsql;

namespace Dsl.Engine.Sources;

/// <summary>A column of fixed-width values (integers, floats, timestamps as counts of a unit, dates as days).</summary>
internal sealed class FixedWidthAppender<T>(Field field, Func<NpgsqlDataReader, int, T> read) : ColumnAppender(field)
    where T : unmanaged
{
    public override ColumnAppender Fresh() => new FixedWidthAppender<T>(Field, read);

    // Small to start: most reads are one-row lookups (15 columns of 64 values each were 7.5 KB of a lookup's allocation); a fetch
    // of related rows doubles its way up.
    private T[] _values = new T[8];
    // Made on first use after each build: a reader's appenders are built once and dropped, so a builder made ahead would be garbage.
    private ArrowBuffer.BitmapBuilder? _validity;
    private int _length;
    private int _nulls;

    public override void Append(NpgsqlDataReader reader, int ordinal)
    {
        if (_length == _values.Length) System.Array.Resize(ref _values, _values.Length * 2);
        if (reader.IsDBNull(ordinal))
        {
            _values[_length] = default;
            (_validity ??= new()).Append(false);
            _nulls++;
        }
        else
        {
            _values[_length] = read(reader, ordinal);
            (_validity ??= new()).Append(true);
        }
        _length++;
    }

    public override IArrowArray Build()
    {
        var values = new ArrowBuffer(MemoryMarshal.AsBytes(_values.AsSpan(0, _length)).ToArray());
        var validity = _nulls == 0 ? ArrowBuffer.Empty : _validity!.Build(ManagedMemoryAllocator.Instance);
        var data = new ArrayData(Field.DataType, _length, _nulls, 0, [validity, values]);
        _validity = null;
        _length = 0;
        _nulls = 0;
        return ArrowArrayFactory.BuildArray(data);
    }
}

/// <summary>A boolean column (bit-packed values).</summary>
internal sealed class BooleanAppender(Field field) : ColumnAppender(field)
{
    public override ColumnAppender Fresh() => new BooleanAppender(Field);

    // Made on first use after each build (see FixedWidthAppender).
    private BooleanArray.Builder? _builder;

    public override void Append(NpgsqlDataReader reader, int ordinal) =>
        (_builder ??= new()).NullableAppend(reader.IsDBNull(ordinal) ? null : reader.GetBoolean(ordinal));

    public override IArrowArray Build()
    {
        var array = (_builder ?? new()).Build(ManagedMemoryAllocator.Instance);
        _builder = null;
        return array;
    }
}

/// <summary>A utf8 column.</summary>
internal sealed class StringAppender(Field field, Func<NpgsqlDataReader, int, string> read) : ColumnAppender(field)
{
    public override ColumnAppender Fresh() => new StringAppender(Field, read);

    // Made on first use after each build (see FixedWidthAppender).
    private StringArray.Builder? _builder;

    public override void Append(NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal)) (_builder ??= new()).AppendNull();
        else (_builder ??= new()).Append(read(reader, ordinal));
    }

    public override IArrowArray Build()
    {
        var array = (_builder ?? new()).Build(ManagedMemoryAllocator.Instance);
        _builder = null;
        return array;
    }
}

/// <summary>A binary column (bytea).</summary>
internal sealed class BinaryAppender(Field field) : ColumnAppender(field)
{
    public override ColumnAppender Fresh() => new BinaryAppender(Field);

    // Made on first use after each build (see FixedWidthAppender).
    private BinaryArray.Builder? _builder;

    public override void Append(NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal)) (_builder ??= new()).AppendNull();
        else (_builder ??= new()).Append(reader.GetFieldValue<byte[]>(ordinal).AsSpan());
    }

    public override IArrowArray Build()
    {
        var array = (_builder ?? new()).Build(ManagedMemoryAllocator.Instance);
        _builder = null;
        return array;
    }
}
