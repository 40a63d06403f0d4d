using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.Codegen.Columns;

/// <summary>
/// An output with one fixed-width value (or one bit, for booleans) per row in a native buffer, written in place
/// by kernels through <see cref="Values"/>.
/// </summary>
internal sealed class FixedWidthOutput : OutputColumn
{
    private NativeBuffer? _values;
    private readonly long _valueBytes;

    public FixedWidthOutput(IArrowType type, ColumnLayout layout, int length, bool everyRowWritten = false)
        : base(type, length, everyRowWritten)
    {
        Layout = layout;
        _valueBytes = layout.Encoding == ColumnEncoding.Bits ? BitmapBytes(length) : (long)length * ColumnView.SizeOf(layout.StorageType);
        _values = layout.Encoding == ColumnEncoding.Bits
            ? AllocateBitmap(length, everyRowWritten)
            : NativeBuffer.Allocate(_valueBytes, zeroFill: !everyRowWritten);
        Values = _values.Address;
    }

    public ColumnLayout Layout { get; }

    /// <summary>Row 0's value (or the value bitmap for booleans).</summary>
    public nint Values { get; }

    public override IArrowArray ToArray(NativeBlockSet owner)
    {
        var values = _values ?? throw new ObjectDisposedException(nameof(FixedWidthOutput), "The output was already turned into an array.");
        var validity = TakeValidity(owner);
        _values = null;
        var data = new ArrayData(Type, Length, nullCount: -1, offset: 0, buffers: [validity, values.Seal(_valueBytes, owner)]);
        return ArrowArrayFactory.BuildArray(data);
    }

    public override void Dispose()
    {
        base.Dispose();
        _values?.Dispose();
        _values = null;
    }
}
