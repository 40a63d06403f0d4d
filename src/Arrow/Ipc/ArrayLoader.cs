using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Ipc;

/// <summary>
/// Turns the field nodes and buffer regions of one record batch (or dictionary batch) into validated
/// <see cref="ArrayData"/> whose buffers are slices of the message body: nothing is copied.
/// </summary>
/// <remarks>
/// Validation happens here, once, so kernels can trust what they get. The loader checks what only the IPC
/// metadata knows: every buffer region lies inside the body, node lengths and null counts are in range, every
/// buffer is large enough for its length, each column is as long as the batch, and the nodes and buffers are
/// consumed exactly by the schema. Then <see cref="ArrayData.Validate(string)"/> checks the contents of each
/// column: null counts match the bitmaps, offsets start non-negative, never decrease and end inside their data
/// or child array, struct children cover their parent, dictionary indices point inside their dictionary.
/// Nesting depth is bounded by the schema (<see cref="SchemaReader.MaxNestingDepth"/>). Failures are
/// <see cref="ArrowFormatException"/>s naming the message, the field path and the node or buffer index.
/// </remarks>
internal sealed partial class ArrayLoader
{
    private readonly RecordBatchHeader _header;
    private readonly ArrowBuffer _body;
    private readonly DictionaryMemo _dictionaries;
    private readonly string _where;
    private int _nextNode;
    private int _nextBuffer;

    private ArrayLoader(RecordBatchHeader header, ArrowBuffer body, DictionaryMemo dictionaries, string where)
    {
        _header = header;
        _body = body;
        _dictionaries = dictionaries;
        _where = where;
    }

    /// <summary>Loads one array per field; the caller owns the result.</summary>
    public static ArrayData[] Load(IReadOnlyList<Field> fields, RecordBatchHeader header, ArrowBuffer body, DictionaryMemo dictionaries, string where)
    {
        var loader = new ArrayLoader(header, body, dictionaries, where);
        var columns = new List<ArrayData>(fields.Count);
        try
        {
            foreach (var field in fields)
            {
                var column = loader.LoadArray(field, field.Name);
                columns.Add(column);
                if (column.Length != header.Length)
                {
                    throw loader.Error(field.Name, $"the column has {column.Length} rows but the batch has {header.Length}");
                }

                column.Validate($"{where}, field {field.Name}");
            }

            if (loader._nextNode != header.Nodes.Length || loader._nextBuffer != header.Buffers.Length)
            {
                throw new ArrowFormatException(
                    $"{where}: the batch has {header.Nodes.Length} field nodes and {header.Buffers.Length} buffers, but the schema uses {loader._nextNode} and {loader._nextBuffer} (schema/batch mismatch).");
            }

            return [.. columns];
        }
        catch
        {
            columns.ForEach(column => column.Dispose());
            throw;
        }
    }

    private ArrayData LoadArray(Field field, string path)
    {
        var node = NextNode(path);
        var length = (int)node.Length;
        var type = field.DataType;
        var validity = ValidityBuffer(path, node);
        switch (type)
        {
            case DictionaryType dictionaryType:
                return LoadDictionaryIndices(field, dictionaryType, path, node, validity);
            case BooleanType or FixedWidthType:
                {
                    var values = NextBuffer(path, "values", BitUtility.ByteCount((long)length * ((FixedWidthType)type).BitWidth));
                    return new ArrayData(type, length, (int)node.NullCount, 0, [validity, values]);
                }

            case StringType or BinaryType:
                {
                    var offsets = OffsetsBuffer<int>(path, length);
                    var data = NextBuffer(path, "data", 0);
                    return new ArrayData(type, length, (int)node.NullCount, 0, [validity, offsets, data]);
                }

            case LargeStringType:
                {
                    var offsets = OffsetsBuffer<long>(path, length);
                    var data = NextBuffer(path, "data", 0);
                    return new ArrayData(type, length, (int)node.NullCount, 0, [validity, offsets, data]);
                }

            case ListType list:
                {
                    var offsets = OffsetsBuffer<int>(path, length);
                    var child = LoadArray(list.ValueField, path + "." + list.ValueField.Name);
                    return WithChildren([child], () => new ArrayData(type, length, (int)node.NullCount, 0, [validity, offsets], [child]));
                }

            case StructType structType:
                {
                    var children = new List<ArrayData>(structType.Fields.Count);
                    return WithChildren(children, () =>
                    {
                        foreach (var childField in structType.Fields)
                        {
                            children.Add(LoadArray(childField, path + "." + childField.Name));
                        }

                        return new ArrayData(type, length, (int)node.NullCount, 0, [validity], children);
                    });
                }

            default:
                throw new NotSupportedException($"{_where}, field {path}: reading Arrow type {type} is not supported.");
        }
    }

    private ArrayData LoadDictionaryIndices(Field field, DictionaryType type, string path, FieldNode node, ArrowBuffer validity)
    {
        var length = (int)node.Length;
        var indices = NextBuffer(path, "indices", (long)length * (type.IndexType.BitWidth / 8));
        var dictionary = _dictionaries.Get(field, _where, path);
        return new ArrayData(type, length, (int)node.NullCount, 0, [validity, indices], dictionary: dictionary.Slice(0, dictionary.Length));
    }

    /// <summary>Builds a parent over <paramref name="children"/>, disposing them when validation or construction fails.</summary>
    private static ArrayData WithChildren(List<ArrayData> children, Func<ArrayData> build)
    {
        try
        {
            return build();
        }
        catch
        {
            children.ForEach(child => child.Dispose());
            throw;
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
