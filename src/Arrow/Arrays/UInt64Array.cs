using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>An array of <c>uint64</c> values, read as <see cref="ulong"/>.</summary>
public sealed class UInt64Array : PrimitiveArray<ulong>
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not uint64 or its buffers are too small.</exception>
    public UInt64Array(ArrayData data)
        : base(data, ArrowTypeId.UInt64)
    {
    }

    /// <summary>Builds a <see cref="UInt64Array"/>.</summary>
    public sealed class Builder : PrimitiveArrayBuilder<ulong, UInt64Array, Builder>
    {
        /// <inheritdoc />
        protected override IArrowType DataType => UInt64Type.Default;

        /// <inheritdoc />
        protected override UInt64Array CreateArray(ArrayData data) => new(data);
    }
}
