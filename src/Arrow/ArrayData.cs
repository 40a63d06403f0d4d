using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// The physical description of an Arrow array: type, logical length and offset, buffers (per the Arrow layout
/// of the type; buffer 0 is the validity bitmap, <see cref="ArrowBuffer.Empty"/> when absent), children and
/// dictionary.
/// </summary>
/// <remarks>
/// Ownership: the constructor takes its own reference on the memory of every buffer (the caller keeps and
/// releases its own, e.g. by disposing a <see cref="NativeBuffer"/>), and takes ownership of
/// the <c>children</c> and <c>dictionary</c>, which are disposed with it.
/// <see cref="Slice"/> returns independent array data sharing the memory. Disposing twice is harmless; reading
/// buffers of disposed array data throws <see cref="ObjectDisposedException"/>.
/// </remarks>
public sealed partial class ArrayData : IDisposable
{
    /// <summary>The <see cref="NullCount"/> value that means "not yet counted".</summary>
    public const int UnknownNullCount = -1;

    private readonly ArrowBuffer[] _buffers;
    private readonly ArrayData[] _children;
    private readonly ArrayData? _dictionary;
    private int _nullCount;
    private int _disposed;

    /// <summary>Creates array data; see the remarks of <see cref="ArrayData"/> for ownership.</summary>
    /// <param name="dataType">The Arrow type.</param>
    /// <param name="length">The number of logical rows.</param>
    /// <param name="nullCount">The number of nulls, or <see cref="UnknownNullCount"/> to count them on first use.</param>
    /// <param name="offset">The physical index of logical row 0 in the buffers.</param>
    /// <param name="buffers">The buffers in Arrow layout order.</param>
    /// <param name="children">Child array data (list values, struct fields); owned from now on.</param>
    /// <param name="dictionary">The dictionary values of a dictionary-encoded array; owned from now on.</param>
    public ArrayData(
        IArrowType dataType,
        int length,
        int nullCount = UnknownNullCount,
        int offset = 0,
        IEnumerable<ArrowBuffer>? buffers = null,
        IEnumerable<ArrayData>? children = null,
        ArrayData? dictionary = null)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(nullCount, UnknownNullCount);
        if (nullCount > length)
        {
            throw new ArgumentOutOfRangeException(nameof(nullCount), nullCount, $"More nulls than the {length} rows.");
        }

        if ((long)offset + length > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"Offset {offset} + length {length} exceeds {int.MaxValue}.");
        }

        DataType = dataType;
        Length = length;
        Offset = offset;
        _buffers = buffers?.ToArray() ?? [];
        _children = children?.ToArray() ?? [];
        for (var i = 0; i < _children.Length; i++)
        {
            if (_children[i] is null)
            {
                throw new ArgumentException($"Child {i} of {dataType} array data is null.", nameof(children));
            }
        }

        _dictionary = dictionary;
        _nullCount = nullCount;
        AcquireBuffers();
    }

    /// <summary>The Arrow type.</summary>
    public IArrowType DataType { get; }

    /// <summary>The number of logical rows.</summary>
    public int Length { get; }

    /// <summary>The physical index of logical row 0 in the buffers (and, for structs, in the children).</summary>
    public int Offset { get; }

    /// <summary>The number of null rows among [<see cref="Offset"/>, <see cref="Offset"/> + <see cref="Length"/>), counted on first use when unknown.</summary>
    public int NullCount
    {
        get
        {
            var count = Volatile.Read(ref _nullCount);
            if (count == UnknownNullCount)
            {
                count = CountNulls();
                Volatile.Write(ref _nullCount, count);
            }

            return count;
        }
    }

    /// <summary>The buffers in Arrow layout order (buffer 0 is the validity bitmap for every type here).</summary>
    public IReadOnlyList<ArrowBuffer> Buffers => _buffers;

    /// <summary>Child array data: the values of a list, the fields of a struct.</summary>
    public IReadOnlyList<ArrayData> Children => _children;

    /// <summary>The dictionary values of a dictionary-encoded array, otherwise null.</summary>
    public ArrayData? Dictionary => _dictionary;

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Array data for rows [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) of
    /// this one, sharing all memory (no copy) and independent of this object's disposal.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside [0, <see cref="Length"/>].</exception>
    public ArrayData Slice(int offset, int length)
    {
        ThrowIfDisposed();
        if (offset < 0 || length < 0 || offset > Length || length > Length - offset)
        {
            throw new ArgumentOutOfRangeException(
                nameof(offset),
                $"Slice [{offset}, {offset}+{length}) is outside an array of {Length} rows.");
        }

        var known = Volatile.Read(ref _nullCount);
        var nullCount = known == 0 ? 0 : offset == 0 && length == Length ? known : UnknownNullCount;
        return new ArrayData(
            DataType,
            length,
            nullCount,
            Offset + offset,
            _buffers,
            _children.Select(c => c.Slice(0, c.Length)),
            _dictionary?.Slice(0, _dictionary.Length));
    }

    /// <summary>Releases this object's references; the memory goes when no other array data or buffer holds it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var buffer in _buffers)
        {
            buffer.Owner?.Release();
        }

        foreach (var child in _children)
        {
            child.Dispose();
        }

        _dictionary?.Dispose();
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> after <see cref="Dispose"/>.</summary>
    public void ThrowIfDisposed()
    {
        if (IsDisposed)
        {
            throw new ObjectDisposedException(nameof(ArrayData), $"This {DataType} array was disposed.");
        }
    }

    /// <summary>The null count given at construction (or counted since), <see cref="UnknownNullCount"/> when not known.</summary>
    internal int DeclaredNullCount => Volatile.Read(ref _nullCount);

    /// <summary>Buffer <paramref name="index"/>, or <see cref="ArrowBuffer.Empty"/> when there are fewer buffers; throws once disposed.</summary>
    internal ArrowBuffer Buffer(int index)
    {
        ThrowIfDisposed();
        return index < _buffers.Length ? _buffers[index] : ArrowBuffer.Empty;
    }

    /// <inheritdoc />
    public override string ToString() => $"ArrayData({DataType}, length {Length}, offset {Offset})";

    private void AcquireBuffers()
    {
        for (var i = 0; i < _buffers.Length; i++)
        {
            try
            {
                _buffers[i].Owner?.AddRef();
            }
            catch
            {
                for (var j = 0; j < i; j++)
                {
                    _buffers[j].Owner?.Release();
                }

                throw;
            }
        }
    }

    private int CountNulls()
    {
        var validity = Buffer(0);
        if (validity.IsEmpty)
        {
            return 0;
        }

        if (validity.Length < BitUtility.ByteCount((long)Offset + Length))
        {
            throw new InvalidOperationException(
                $"The validity bitmap of this {DataType} array has {validity.Length} bytes, too few for {Offset + Length} rows.");
        }

        return Length - BitUtility.CountSetBits(validity.Span, Offset, Length);
    }
}
