using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// A typed, immutable view of <see cref="ArrayData"/>. Logical row <c>i</c> is physical slot
/// <see cref="Offset"/> + <c>i</c> of the buffers. Disposing releases the array's memory references.
/// </summary>
public interface IArrowArray : IDisposable
{
    /// <summary>The Arrow type.</summary>
    IArrowType DataType { get; }

    /// <summary>The number of logical rows.</summary>
    int Length { get; }

    /// <summary>The physical index of logical row 0.</summary>
    int Offset { get; }

    /// <summary>The number of null rows.</summary>
    int NullCount { get; }

    /// <summary>The underlying array data.</summary>
    ArrayData Data { get; }

    /// <summary>
    /// The whole validity bitmap buffer (bit <see cref="Offset"/> + <c>i</c> is row <c>i</c>, 1 = valid);
    /// empty when absent, which means every row is valid.
    /// </summary>
    ReadOnlySpan<byte> ValidityBitmap { get; }

    /// <summary>The address of the validity bitmap buffer's first byte (bit 0), or 0 when absent.</summary>
    nint ValidityAddress { get; }

    /// <summary>Whether row <paramref name="index"/> is null.</summary>
    bool IsNull(int index);

    /// <summary>Whether row <paramref name="index"/> is not null.</summary>
    bool IsValid(int index);

    /// <summary>Rows [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) as an independent array sharing the memory.</summary>
    IArrowArray Slice(int offset, int length);
}
