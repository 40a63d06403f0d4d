using System.Numerics;
using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// The growing buffers of a variable-length array (validity, offsets of <typeparamref name="TOffset"/>, bytes),
/// shared by the binary, utf8 and large_utf8 builders. Offsets hold one more entry than rows; the leading 0 is
/// written before the first row.
/// </summary>
internal sealed class VariableBinaryBuffers<TOffset> : IDisposable
    where TOffset : unmanaged, IBinaryInteger<TOffset>
{
    private readonly ValueBufferBuilder<TOffset> _offsets = new();
    private readonly ValueBufferBuilder<byte> _bytes = new();
    private readonly BitmapBuilder _validity = new();

    /// <summary>The number of rows appended.</summary>
    public int Length => _validity.Length;

    /// <summary>The number of null rows appended.</summary>
    public int NullCount => _validity.UnsetCount;

    /// <summary>Appends a valid row holding a copy of <paramref name="value"/>.</summary>
    /// <exception cref="InvalidOperationException">The data would pass what the offsets (or a builder) can address.</exception>
    public void Append(ReadOnlySpan<byte> value, IArrowType type)
    {
        StartRow();
        var end = (long)_bytes.Count + value.Length;
        if (end > int.MaxValue)
        {
            throw new InvalidOperationException($"The data of a {type} array cannot pass {int.MaxValue} bytes in a builder.");
        }

        _bytes.Append(value);
        _offsets.Append(TOffset.CreateTruncating(end));
        _validity.Append(true);
    }

    /// <summary>Appends a null row (zero bytes).</summary>
    public void AppendNull()
    {
        StartRow();
        _offsets.Append(TOffset.CreateTruncating(_bytes.Count));
        _validity.Append(false);
    }

    /// <summary>Makes room for more rows and bytes.</summary>
    public void Reserve(int additionalRows, int additionalBytes)
    {
        _offsets.Reserve(additionalRows + 1);
        _validity.Reserve(additionalRows);
        _bytes.Reserve(additionalBytes);
    }

    /// <summary>Forgets the appended rows.</summary>
    public void Clear()
    {
        _offsets.Clear();
        _bytes.Clear();
        _validity.Clear();
    }

    /// <summary>Array data of <paramref name="type"/> over the appended rows; the buffers start anew.</summary>
    public ArrayData Build(IArrowType type)
    {
        StartRow();
        var length = _validity.Length;
        var nullCount = _validity.UnsetCount;
        using var offsets = _offsets.Detach();
        using var bytes = _bytes.Detach();
        using var validity = _validity.Detach();
        return new ArrayData(
            type,
            length,
            nullCount,
            0,
            [nullCount == 0 ? ArrowBuffer.Empty : validity.ToArrowBuffer(), offsets.ToArrowBuffer(), bytes.ToArrowBuffer()]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _offsets.Dispose();
        _bytes.Dispose();
        _validity.Dispose();
    }

    private void StartRow()
    {
        if (_offsets.Count == 0)
        {
            _offsets.Append(TOffset.Zero);
        }
    }
}
