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
    private ArrowBuffer.BitmapBuilder _validity = new();
    private int _length;
    private int _nulls;

    public override void Append(NpgsqlDataReader reader, int ordinal)
    {
        if (_length == _values.Length) System.Array.Resize(ref _values, _values.Length * 2);
        if (reader.IsDBNull(ordinal))
        {
            _values[_length] = default;
            _validity.Append(false);
            _nulls++;
        }
        else
        {
            _values[_length] = read(reader, ordinal);
            _validity.Append(true);
        }
        _length++;
    }

    public override IArrowArray Build()
    {
        var values = new ArrowBuffer(MemoryMarshal.AsBytes(_values.AsSpan(0, _length)).ToArray());
        var validity = _nulls == 0 ? ArrowBuffer.Empty : _validity.Build(ManagedMemoryAllocator.Instance);
        var data = new ArrayData(Field.DataType, _length, _nulls, 0, [validity, values]);
        _validity = new ArrowBuffer.BitmapBuilder();
        _length = 0;
        _nulls = 0;
        return ArrowArrayFactory.BuildArray(data);
    }
}

/// <summary>A boolean column (bit-packed values).</summary>
internal sealed class BooleanAppender(Field field) : ColumnAppender(field)
{
    public override ColumnAppender Fresh() => new BooleanAppender(Field);

    private BooleanArray.Builder _builder = new();

    public override void Append(NpgsqlDataReader reader, int ordinal) =>
        _builder.NullableAppend(reader.IsDBNull(ordinal) ? null : reader.GetBoolean(ordinal));

    public override IArrowArray Build()
    {
        var array = _builder.Build(ManagedMemoryAllocator.Instance);
        _builder = new BooleanArray.Builder();
        return array;
    }
}

/// <summary>A utf8 column.</summary>
internal sealed class StringAppender(Field field, Func<NpgsqlDataReader, int, string> read) : ColumnAppender(field)
{
    public override ColumnAppender Fresh() => new StringAppender(Field, read);

    private StringArray.Builder _builder = new();

    public override void Append(NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal)) _builder.AppendNull();
        else _builder.Append(read(reader, ordinal));
    }

    public override IArrowArray Build()
    {
        var array = _builder.Build(ManagedMemoryAllocator.Instance);
        _builder = new StringArray.Builder();
        return array;
    }
}

/// <summary>A binary column (bytea).</summary>
internal sealed class BinaryAppender(Field field) : ColumnAppender(field)
{
    public override ColumnAppender Fresh() => new BinaryAppender(Field);

    private BinaryArray.Builder _builder = new();

    public override void Append(NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal)) _builder.AppendNull();
        else _builder.Append(reader.GetFieldValue<byte[]>(ordinal).AsSpan());
    }

    public override IArrowArray Build()
    {
        var array = _builder.Build(ManagedMemoryAllocator.Instance);
        _builder = new BinaryArray.Builder();
        return array;
    }
}
