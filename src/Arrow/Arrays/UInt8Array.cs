using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>An array of <c>uint8</c> values, read as <see cref="byte"/>.</summary>
public sealed class UInt8Array : PrimitiveArray<byte>
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not uint8 or its buffers are too small.</exception>
    public UInt8Array(ArrayData data)
        : base(data, ArrowTypeId.UInt8)
    {
    }

    /// <summary>Builds a <see cref="UInt8Array"/>.</summary>
    public sealed class Builder : PrimitiveArrayBuilder<byte, UInt8Array, Builder>
    {
        /// <inheritdoc />
        protected override IArrowType DataType => UInt8Type.Default;

        /// <inheritdoc />
        protected override UInt8Array CreateArray(ArrayData data) => new(data);
    }
}
