using Apache.Arrow;

namespace Dsl.ArrowExtensions;

/// <summary>
/// Checks Apache.Arrow arrays and record batches before any unsafe read: Apache.Arrow trusts the lengths, offsets
/// and counts it is given (a string array whose offsets point past its data buffer reads arbitrary memory in
/// <c>StringArray.GetString</c>), and has no public validation. Whatever the source — a file, DuckDB, ParquetSharp,
/// the C Data Interface, a user's builders — a batch that passes can be read by kernels without further checks.
/// </summary>
/// <remarks>
/// The checks, recursively and in O(length): exactly the buffers the type's layout has (Apache.Arrow's array
/// constructors and accessors index them by position); every buffer large enough for offset + length; a declared
/// null count equal to the validity bitmap's (or -1, unknown); offsets non-negative, non-decreasing and inside the data buffer or child; list,
/// struct and dictionary children of the right number, type and length; dictionary indices inside the dictionary;
/// decimal128 values within their precision; every column as long as the batch. UTF-8 well-formedness is not
/// checked (invalid sequences read as U+FFFD, as <c>Encoding.UTF8</c> decodes them). Types the checks do not know
/// (unions, views, maps, …) are <see cref="NotSupportedException"/>s naming the type.
/// </remarks>
public static class ArrowValidator
{
    /// <summary>Validates every column of <paramref name="batch"/> and its length.</summary>
    /// <exception cref="ArrowValidationException">A column is malformed; the exception names the column, buffer, row and rule.</exception>
    public static void Validate(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var fields = batch.Schema.FieldsList;
        if (fields.Count != batch.ColumnCount)
        {
            throw new ArrowValidationException("record batch", "columns", null, "schema",
                $"the schema has {fields.Count} fields but the batch has {batch.ColumnCount} columns");
        }

        for (var i = 0; i < batch.ColumnCount; i++) ValidateColumn(batch, i);
    }

    /// <summary>Validates column <paramref name="index"/> of <paramref name="batch"/> (its data and its length).</summary>
    /// <exception cref="ArrowValidationException">The column is malformed.</exception>
    public static void ValidateColumn(RecordBatch batch, int index)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var column = batch.Column(index);
        var name = ColumnName(batch, index);
        if (column.Length != batch.Length)
        {
            throw new ArrowValidationException(name, "length", null, "column-length",
                $"the column has {column.Length} rows but the batch has {batch.Length}");
        }

        ArrayDataRules.Validate(column.Data, name);
    }

    /// <summary>Validates one array, naming it <paramref name="name"/> in errors.</summary>
    /// <exception cref="ArrowValidationException">The array is malformed.</exception>
    public static void Validate(IArrowArray array, string name = "array")
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentNullException.ThrowIfNull(name);
        ArrayDataRules.Validate(array.Data, name);
    }

    /// <summary>The name errors use for column <paramref name="index"/>: <c>column 2 ('price')</c>.</summary>
    internal static string ColumnName(RecordBatch batch, int index) =>
        index < batch.Schema.FieldsList.Count ? $"column {index} ('{batch.Schema.FieldsList[index].Name}')" : $"column {index}";
}
