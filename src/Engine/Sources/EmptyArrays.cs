using Apache.Arrow;
using Apache.Arrow.Types;

namespace Dsl.Engine.Sources;

/// <summary>Zero-row arrays and batches of a given type or schema, for results with no rows (which still carry their schema).</summary>
internal static class EmptyArrays
{
    private static readonly ArrowBuffer s_zeroOffset = new(new byte[4]);
    private static readonly ArrowBuffer s_zeroLargeOffset = new(new byte[8]);

    /// <summary>A zero-row batch with <paramref name="schema"/>.</summary>
    public static RecordBatch Batch(Schema schema) => new(schema, schema.FieldsList.Select(f => Of(f.DataType)), 0);

    /// <summary>A zero-length array of <paramref name="type"/>.</summary>
    /// <exception cref="NotSupportedException">The type's layout is not one of the common ones handled here.</exception>
    public static IArrowArray Of(IArrowType type) => ArrowArrayFactory.BuildArray(Data(type));

    private static ArrayData Data(IArrowType type) => type switch
    {
        StringType or BinaryType => new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty, s_zeroOffset, ArrowBuffer.Empty]),
        LargeStringType or LargeBinaryType => new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty, s_zeroLargeOffset, ArrowBuffer.Empty]),
        ListType list => new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty, s_zeroOffset], [Data(list.ValueDataType)]),
        StructType structure => new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty], structure.Fields.Select(f => Data(f.DataType)).ToArray()),
        FixedWidthType or BooleanType => new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty, ArrowBuffer.Empty]),
        _ => throw new NotSupportedException($"No empty array of Arrow type {type.Name} can be made here."),
    };
}
