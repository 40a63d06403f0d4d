using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.Codegen.Columns;

/// <summary>
/// A struct output (a tuple result): one child output per field, written row for row by the kernel, plus the
/// struct's own validity, set for every row that produced a tuple and clear for a null row (a null input bound to a
/// non-nullable parameter, a null <c>(…)?</c> result, or a row that failed, whose children are null too).
/// </summary>
internal sealed class StructOutput : OutputColumn
{
    private OutputColumn[]? _children;

    public StructOutput(StructType type, int length, bool everyRowWritten = false)
        : base(type, length, everyRowWritten)
    {
        var children = new List<OutputColumn>();
        try
        {
            foreach (var field in type.Fields) children.Add(Create(field.DataType, length, everyRowWritten)); // every row written is written in every field
        }
        catch
        {
            foreach (var child in children) child.Dispose();
            throw;
        }

        _children = [.. children];
    }

    /// <summary>The field outputs, in field order.</summary>
    public OutputColumn[] Children => _children ?? throw new ObjectDisposedException(nameof(StructOutput), "The output was already turned into an array.");

    public override bool JoinsRangesInRowOrder => Children.Any(child => child.JoinsRangesInRowOrder);

    public override IArrowArray ToArray(NativeBlockSet owner)
    {
        var children = Children;
        var arrays = children.Select(child => child.ToArray(owner)).ToArray();
        _children = null;
        foreach (var child in children) child.Dispose();
        var validity = TakeValidity(owner);
        return new StructArray((StructType)Type, Length, arrays, validity, nullCount: -1);
    }

    public override void Dispose()
    {
        base.Dispose();
        foreach (var child in _children ?? []) child.Dispose();
        _children = null;
    }
}
