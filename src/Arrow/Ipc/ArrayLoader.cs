using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Types;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>
/// Turns the field nodes and buffer regions of one record batch (or dictionary batch) into validated Apache.Arrow
/// <see cref="ArrayData"/> whose buffers are slices of the message body: nothing is copied (compressed buffers are
/// decompressed into native memory first).
/// </summary>
/// <remarks>
/// Validation happens here, once, so kernels can trust what they get. The loader checks what only the IPC metadata
/// knows: every buffer region lies inside the body, node lengths and null counts are in range, every buffer is large
/// enough for its length, each column is as long as the batch, and the nodes and buffers are consumed exactly by the
/// schema. Then <see cref="ArrowValidator"/>'s rules check the contents of each column (null counts, offsets,
/// children, dictionary indices). Nesting depth is bounded by the schema (<see cref="SchemaReader.MaxNestingDepth"/>).
/// Failures are <see cref="ArrowFormatException"/>s naming the message, the field path and the node or buffer.
/// </remarks>
internal sealed partial class ArrayLoader
{
    private readonly RecordBatchHeader _header;
    private readonly ReadOnlyMemory<byte> _body;
    private readonly DictionaryMemo _dictionaries;
    private readonly string _where;
    private int _nextNode;
    private int _nextBuffer;

    private ArrayLoader(RecordBatchHeader header, ReadOnlyMemory<byte> body, DictionaryMemo dictionaries, string where)
    {
        _header = header;
        _body = body;
        _dictionaries = dictionaries;
        _where = where;
    }

    /// <summary>Loads one validated array per field.</summary>
    public static ArrayData[] Load(
        IReadOnlyList<Field> fields, RecordBatchHeader header, ReadOnlyMemory<byte> body, DictionaryMemo dictionaries, string where)
    {
        var loader = new ArrayLoader(header, body, dictionaries, where);
        var columns = new ArrayData[fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            columns[i] = loader.LoadArray(field, field.Name);
            if (columns[i].Length != header.Length)
            {
                throw loader.Error(field.Name, $"the column has {columns[i].Length} rows but the batch has {header.Length}");
            }

            ArrayDataRules.Validate(columns[i], $"{where}, field '{field.Name}'");
        }

        if (loader._nextNode != header.Nodes.Length || loader._nextBuffer != header.Buffers.Length)
        {
            throw new ArrowFormatException(
                $"{where}: the batch has {header.Nodes.Length} field nodes and {header.Buffers.Length} buffers, but the schema uses {loader._nextNode} and {loader._nextBuffer} (schema/batch mismatch).");
        }

        return columns;
    }

    private ArrayData LoadArray(Field field, string path)
    {
        var node = NextNode(path);
        var length = (int)node.Length;
        var nulls = (int)node.NullCount;
        var type = field.DataType;
        var validity = ValidityBuffer(path, node);
        switch (type)
        {
            case DictionaryType dictionaryType:
                {
                    var indexBytes = (long)length * (((FixedWidthType)dictionaryType.IndexType).BitWidth / 8);
                    var indices = NextBuffer(path, "indices", indexBytes);
                    var dictionary = _dictionaries.Get(field, _where, path);
                    return new ArrayData(type, length, nulls, 0, [validity, indices], dictionary: dictionary);
                }

            case FixedWidthType fixedWidth:
                {
                    var values = NextBuffer(path, "values", BitUtility.RoundUpToMultipleOf8((long)length * fixedWidth.BitWidth) / 8);
                    return new ArrayData(type, length, nulls, 0, [validity, values]);
                }

            case StringType or BinaryType:
                return new ArrayData(type, length, nulls, 0, [validity, OffsetsBuffer(path, length, 4), NextBuffer(path, "data", 0)]);

            case LargeStringType or LargeBinaryType:
                return new ArrayData(type, length, nulls, 0, [validity, OffsetsBuffer(path, length, 8), NextBuffer(path, "data", 0)]);

            case ListType list:
                {
                    var offsets = OffsetsBuffer(path, length, 4);
                    var child = LoadArray(list.ValueField, path + "." + list.ValueField.Name);
                    return new ArrayData(type, length, nulls, 0, [validity, offsets], [child]);
                }

            case StructType structType:
                {
                    var children = structType.Fields.Select(childField => LoadArray(childField, path + "." + childField.Name)).ToArray();
                    return new ArrayData(type, length, nulls, 0, [validity], children);
                }

            default:
                throw new NotSupportedException($"{_where}, field {path}: reading Arrow type {ArrowTypes.Describe(type)} is not supported.");
        }
    }

    private FieldNode NextNode(string path)
    {
        if (_nextNode >= _header.Nodes.Length)
        {
            throw Error(path, $"the batch has only {_header.Nodes.Length} field nodes, fewer than the schema needs (schema/batch mismatch)");
        }

        var index = _nextNode++;
        var node = _header.Nodes[index];
        if (node.Length < 0 || node.Length > int.MaxValue)
        {
            throw Error(path, $"field node {index} has length {node.Length}, outside [0, {int.MaxValue}]");
        }

        if (node.NullCount < 0 || node.NullCount > node.Length)
        {
            throw Error(path, $"field node {index} has null count {node.NullCount}, outside [0, {node.Length}]");
        }

        return node;
    }

    internal ArrowFormatException Error(string path, string what) => new($"{_where}, field {path}: {what}.");
}
