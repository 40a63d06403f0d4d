using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>An array of <c>int16</c> values, read as <see cref="short"/>.</summary>
public sealed class Int16Array : PrimitiveArray<short>
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not int16 or its buffers are too small.</exception>
    public Int16Array(ArrayData data)
        : base(data, ArrowTypeId.Int16)
    {
    }

    /// <summary>Builds a <see cref="Int16Array"/>.</summary>
    public sealed class Builder : PrimitiveArrayBuilder<short, Int16Array, Builder>
    {
        /// <inheritdoc />
        protected override IArrowType DataType => Int16Type.Default;

        /// <inheritdoc />
        protected override Int16Array CreateArray(ArrayData data) => new(data);
    }
}
