using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>An array of <c>int64</c> values, read as <see cref="long"/>.</summary>
public sealed class Int64Array : PrimitiveArray<long>
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not int64 or its buffers are too small.</exception>
    public Int64Array(ArrayData data)
        : base(data, ArrowTypeId.Int64)
    {
    }

    /// <summary>Builds a <see cref="Int64Array"/>.</summary>
    public sealed class Builder : PrimitiveArrayBuilder<long, Int64Array, Builder>
    {
        /// <inheritdoc />
        protected override IArrowType DataType => Int64Type.Default;

        /// <inheritdoc />
        protected override Int64Array CreateArray(ArrayData data) => new(data);
    }
}
