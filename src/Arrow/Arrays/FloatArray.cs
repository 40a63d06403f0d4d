using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>An array of <c>float</c> values, read as <see cref="float"/>.</summary>
public sealed class FloatArray : PrimitiveArray<float>
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not float or its buffers are too small.</exception>
    public FloatArray(ArrayData data)
        : base(data, ArrowTypeId.Float)
    {
    }

    /// <summary>Builds a <see cref="FloatArray"/>.</summary>
    public sealed class Builder : PrimitiveArrayBuilder<float, FloatArray, Builder>
    {
        /// <inheritdoc />
        protected override IArrowType DataType => FloatType.Default;

        /// <inheritdoc />
        protected override FloatArray CreateArray(ArrayData data) => new(data);
    }
}
