using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>An array of <c>uint32</c> values, read as <see cref="uint"/>.</summary>
public sealed class UInt32Array : PrimitiveArray<uint>
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not uint32 or its buffers are too small.</exception>
    public UInt32Array(ArrayData data)
        : base(data, ArrowTypeId.UInt32)
    {
    }

    /// <summary>Builds a <see cref="UInt32Array"/>.</summary>
    public sealed class Builder : PrimitiveArrayBuilder<uint, UInt32Array, Builder>
    {
        /// <inheritdoc />
        protected override IArrowType DataType => UInt32Type.Default;

        /// <inheritdoc />
        protected override UInt32Array CreateArray(ArrayData data) => new(data);
    }
}
