using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>An array of <c>uint16</c> values, read as <see cref="ushort"/>.</summary>
public sealed class UInt16Array : PrimitiveArray<ushort>
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not uint16 or its buffers are too small.</exception>
    public UInt16Array(ArrayData data)
        : base(data, ArrowTypeId.UInt16)
    {
    }

    /// <summary>Builds a <see cref="UInt16Array"/>.</summary>
    public sealed class Builder : PrimitiveArrayBuilder<ushort, UInt16Array, Builder>
    {
        /// <inheritdoc />
        protected override IArrowType DataType => UInt16Type.Default;

        /// <inheritdoc />
        protected override UInt16Array CreateArray(ArrayData data) => new(data);
    }
}
