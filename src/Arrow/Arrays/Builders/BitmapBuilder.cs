using Dsl.Arrow.Memory;

namespace Dsl.Arrow;

/// <summary>A growable native bitmap (LSB first), used for validity and boolean values by the builders.</summary>
internal sealed unsafe class BitmapBuilder : IDisposable
{
    // Allocated on first use and handed over by Detach, so a builder that was built holds no memory.
    private NativeBuffer? _buffer;

    /// <summary>The number of bits appended.</summary>
    public int Length { get; private set; }

    /// <summary>The number of 1 bits appended.</summary>
    public int SetCount { get; private set; }

    /// <summary>The number of 0 bits appended.</summary>
    public int UnsetCount => Length - SetCount;

    /// <summary>Makes room for <paramref name="additional"/> more bits without reallocating.</summary>
    public void Reserve(int additional)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(additional);
        Buffer.EnsureCapacity(BitUtility.ByteCount((long)Length + additional));
    }

    /// <summary>Appends one bit.</summary>
    public void Append(bool value)
    {
        var index = Length;
        Grow(1);
        if (value)
        {
            ((byte*)Buffer.Address)[index >> 3] |= (byte)(1 << (index & 7));
            SetCount++;
        }
    }

    /// <summary>Appends <paramref name="count"/> copies of <paramref name="value"/>.</summary>
    public void AppendMany(bool value, int count)
    {
        var start = Length;
        Grow(count);
        if (!value)
        {
            return;
        }

        var bits = new Span<byte>((void*)Buffer.Address, (int)Buffer.Length);
        var index = start;
        var end = start + count;
        for (; index < end && (index & 7) != 0; index++)
        {
            BitUtility.SetBit(bits, index);
        }

        // Whole bytes at once; the bits past the end of a partial byte stay 0.
        var wholeBytes = (end - index) >> 3;
        bits.Slice(index >> 3, wholeBytes).Fill(0xFF);
        for (index += wholeBytes << 3; index < end; index++)
        {
            BitUtility.SetBit(bits, index);
        }

        SetCount += count;
    }

    /// <summary>Hands over the bitmap (usable length = whole bytes for <see cref="Length"/> bits) and starts anew.</summary>
    public NativeBuffer Detach()
    {
        var result = _buffer ?? NativeBuffer.Allocate(0);
        _buffer = null;
        Length = 0;
        SetCount = 0;
        return result;
    }

    /// <summary>Forgets the appended bits.</summary>
    public void Clear()
    {
        _buffer?.Resize(0);
        Length = 0;
        SetCount = 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _buffer?.Dispose();
        _buffer = null;
    }

    private NativeBuffer Buffer => _buffer ??= NativeBuffer.Allocate(0);

    private void Grow(int additional)
    {
        var length = BuilderCapacity.Grown(Length, additional);
        // Resize zero-fills new bytes, so appended 0 bits need no write.
        Buffer.Resize(BitUtility.ByteCount(length));
        Length = length;
    }
}
