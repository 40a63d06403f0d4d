using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>An array of <c>int32</c> values, read as <see cref="int"/>.</summary>
public sealed class Int32Array : PrimitiveArray<int>
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not int32 or its buffers are too small.</exception>
    public Int32Array(ArrayData data)
        : base(data, ArrowTypeId.Int32)
    {
    }

    /// <summary>Builds a <see cref="Int32Array"/>.</summary>
    public sealed class Builder : PrimitiveArrayBuilder<int, Int32Array, Builder>
    {
        /// <inheritdoc />
        protected override IArrowType DataType => Int32Type.Default;

        /// <inheritdoc />
        protected override Int32Array CreateArray(ArrayData data) => new(data);
    }
}
