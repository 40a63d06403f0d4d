using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>An array of <c>int8</c> values, read as <see cref="sbyte"/>.</summary>
public sealed class Int8Array : PrimitiveArray<sbyte>
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not int8 or its buffers are too small.</exception>
    public Int8Array(ArrayData data)
        : base(data, ArrowTypeId.Int8)
    {
    }

    /// <summary>Builds a <see cref="Int8Array"/>.</summary>
    public sealed class Builder : PrimitiveArrayBuilder<sbyte, Int8Array, Builder>
    {
        /// <inheritdoc />
        protected override IArrowType DataType => Int8Type.Default;

        /// <inheritdoc />
        protected override Int8Array CreateArray(ArrayData data) => new(data);
    }
}
