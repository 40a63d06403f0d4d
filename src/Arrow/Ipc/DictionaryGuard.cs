using Apache.Arrow;
using Apache.Arrow.Types;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>
/// Refuses a batch whose dictionaries differ from the first batch's. Apache.Arrow 23's writers send each dictionary
/// once, with the first batch, and never again (not even in the stream format, which could replace it), so a batch
/// with a changed dictionary would be written with indices into the old one and read back with wrong values or
/// indices past its end. Every dictionary-encoded array counts, nested ones (in structs and lists) included.
/// </summary>
internal sealed class DictionaryGuard
{
    private List<(string Path, ArrayData Dictionary)>? _first;

    /// <exception cref="NotSupportedException">A dictionary differs from the first batch's; the message names its column.</exception>
    public void Check(RecordBatch batch, Schema schema)
    {
        var dictionaries = new List<(string Path, ArrayData Dictionary)>();
        for (var i = 0; i < batch.ColumnCount; i++) Collect(batch.Column(i).Data, schema.FieldsList[i].Name, dictionaries);
        if (_first is null)
        {
            _first = dictionaries;
            return;
        }

        // The writer checked the batch has the schema's types, so both lists have the same dictionaries in the same order.
        for (var k = 0; k < dictionaries.Count; k++)
        {
            if (!SameContents(_first[k].Dictionary, dictionaries[k].Dictionary))
            {
                throw new NotSupportedException(
                    $"Column '{dictionaries[k].Path}': its dictionary changed between batches; Apache.Arrow's writer keeps the first one, so the batch would read back with the wrong values. Decode the column, or write one file per dictionary.");
            }
        }
    }

    private static void Collect(ArrayData data, string path, List<(string Path, ArrayData Dictionary)> into)
    {
        if (data.DataType is DictionaryType) into.Add((path, data.Dictionary));
        var children = data.Children ?? [];
        switch (data.DataType)
        {
            case StructType structType:
                for (var k = 0; k < children.Length && k < structType.Fields.Count; k++) Collect(children[k], $"{path}.{structType.Fields[k].Name}", into);
                break;
            case ListType list when children.Length == 1:
                Collect(children[0], $"{path}.{list.ValueField.Name}", into);
                break;
        }
    }

    private static bool SameContents(ArrayData a, ArrayData b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null || a.Length != b.Length || a.Offset != b.Offset || a.Buffers.Length != b.Buffers.Length) return false;
        for (var k = 0; k < a.Buffers.Length; k++)
        {
            if (!a.Buffers[k].Span.SequenceEqual(b.Buffers[k].Span)) return false;
        }

        return (a.Children ?? []).Length == (b.Children ?? []).Length
            && (a.Children ?? []).Zip(b.Children ?? []).All(pair => SameContents(pair.First, pair.Second));
    }
}
