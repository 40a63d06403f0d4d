namespace Dsl.Arrow;

/// <summary>
/// Columns of equal length described by a <see cref="Schema"/>. The batch owns its columns: disposing it
/// disposes them. <see cref="Slice"/> gives an independent batch sharing the memory.
/// </summary>
public sealed class RecordBatch : IDisposable
{
    private readonly IArrowArray[] _columns;
    private int _disposed;

    /// <summary>Creates a batch, taking ownership of <paramref name="columns"/>.</summary>
    /// <param name="schema">One field per column.</param>
    /// <param name="columns">The columns in schema order.</param>
    /// <param name="length">The number of rows; every column must have it.</param>
    /// <exception cref="ArgumentException">The column count, a column's length or a column's type disagrees with the schema.</exception>
    public RecordBatch(Schema schema, IEnumerable<IArrowArray> columns, int length)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _columns = columns.ToArray();
        if (_columns.Length != schema.FieldCount)
        {
            throw new ArgumentException(
                $"The schema has {schema.FieldCount} fields but {_columns.Length} columns were given.", nameof(columns));
        }

        for (var i = 0; i < _columns.Length; i++)
        {
            var field = schema.FieldsList[i];
            var column = _columns[i] ?? throw new ArgumentException($"Column {i} ('{field.Name}') is null.", nameof(columns));
            if (column.Length != length)
            {
                throw new ArgumentException(
                    $"Column {i} ('{field.Name}') has {column.Length} rows; the batch has {length}.", nameof(columns));
            }

            if (!column.DataType.Equals(field.DataType))
            {
                throw new ArgumentException(
                    $"Column {i} ('{field.Name}') is {column.DataType}; the schema says {field.DataType}.", nameof(columns));
            }
        }

        Schema = schema;
        Length = length;
    }

    /// <summary>The schema.</summary>
    public Schema Schema { get; }

    /// <summary>The number of rows.</summary>
    public int Length { get; }

    /// <summary>The number of columns.</summary>
    public int ColumnCount => _columns.Length;

    /// <summary>The columns in schema order.</summary>
    public IReadOnlyList<IArrowArray> Arrays
    {
        get
        {
            ThrowIfDisposed();
            return _columns;
        }
    }

    /// <summary>Column <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such column.</exception>
    public IArrowArray Column(int index)
    {
        ThrowIfDisposed();
        if ((uint)index >= (uint)_columns.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The batch has {_columns.Length} columns.");
        }

        return _columns[index];
    }

    /// <summary>The first column named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No column has that name.</exception>
    public IArrowArray Column(string name)
    {
        var index = Schema.GetFieldIndex(name);
        return index >= 0
            ? Column(index)
            : throw new KeyNotFoundException(
                $"The batch has no column '{name}'; its columns are {string.Join(", ", Schema.FieldsList.Select(f => $"'{f.Name}'"))}.");
    }

    /// <summary>Rows [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) as an independent batch sharing the memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the batch.</exception>
    public RecordBatch Slice(int offset, int length)
    {
        ThrowIfDisposed();
        if (offset < 0 || length < 0 || offset > Length || length > Length - offset)
        {
            throw new ArgumentOutOfRangeException(
                nameof(offset),
                $"Slice [{offset}, {offset}+{length}) is outside a batch of {Length} rows.");
        }

        var sliced = new List<IArrowArray>(_columns.Length);
        try
        {
            foreach (var column in _columns)
            {
                sliced.Add(column.Slice(offset, length));
            }

            return new RecordBatch(Schema, sliced, length);
        }
        catch
        {
            sliced.ForEach(c => c.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Validates every column with <see cref="ArrayData.Validate(string)"/>, naming the column in messages;
    /// readers of untrusted input call it once per batch.
    /// </summary>
    /// <exception cref="ArrowFormatException">A column is malformed.</exception>
    public void Validate()
    {
        ThrowIfDisposed();
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].Data.Validate($"column {i} ('{Schema.FieldsList[i].Name}')");
        }
    }

    /// <summary>Disposes every column; disposing twice is harmless.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var column in _columns)
        {
            column.Dispose();
        }
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(nameof(RecordBatch));
        }
    }
}
