using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>An array of <c>double</c> values, read as <see cref="double"/>.</summary>
public sealed class DoubleArray : PrimitiveArray<double>
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not double or its buffers are too small.</exception>
    public DoubleArray(ArrayData data)
        : base(data, ArrowTypeId.Double)
    {
    }

    /// <summary>Builds a <see cref="DoubleArray"/>.</summary>
    public sealed class Builder : PrimitiveArrayBuilder<double, DoubleArray, Builder>
    {
        /// <inheritdoc />
        protected override IArrowType DataType => DoubleType.Default;

        /// <inheritdoc />
        protected override DoubleArray CreateArray(ArrayData data) => new(data);
    }
}
