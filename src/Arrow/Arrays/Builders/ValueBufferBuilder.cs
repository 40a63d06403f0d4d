using Dsl.Arrow.Memory;

namespace Dsl.Arrow;

/// <summary>A growable native buffer of <typeparamref name="T"/> values, used by the array builders.</summary>
internal sealed unsafe class ValueBufferBuilder<T> : IDisposable
    where T : unmanaged
{
    // Allocated on first use and handed over by Detach, so a builder that was built holds no memory.
    private NativeBuffer? _buffer;

    /// <summary>The number of values appended.</summary>
    public int Count { get; private set; }

    /// <summary>The values appended so far, writable.</summary>
    public Span<T> Span => new((void*)Buffer.Address, Count);

    /// <summary>Makes room for <paramref name="additional"/> more values without reallocating.</summary>
    public void Reserve(int additional)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(additional);
        Buffer.EnsureCapacity(((long)Count + additional) * sizeof(T));
    }

    /// <summary>Appends one value.</summary>
    public void Append(T value)
    {
        Grow(1);
        ((T*)Buffer.Address)[Count - 1] = value;
    }

    /// <summary>Appends <paramref name="values"/>.</summary>
    public void Append(ReadOnlySpan<T> values)
    {
        var start = Count;
        Grow(values.Length);
        values.CopyTo(new Span<T>((T*)Buffer.Address + start, values.Length));
    }

    /// <summary>Appends <paramref name="count"/> zero values.</summary>
    public void AppendZeros(int count)
    {
        var start = Count;
        Grow(count);
        new Span<T>((T*)Buffer.Address + start, count).Clear();
    }

    /// <summary>Hands over the buffer (usable length = <see cref="Count"/> values) and starts a new empty one.</summary>
    public NativeBuffer Detach()
    {
        var result = _buffer ?? NativeBuffer.Allocate(0);
        _buffer = null;
        Count = 0;
        return result;
    }

    /// <summary>Forgets the appended values.</summary>
    public void Clear()
    {
        _buffer?.Resize(0);
        Count = 0;
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
        var count = BuilderCapacity.Grown(Count, additional);
        Buffer.Resize((long)count * sizeof(T));
        Count = count;
    }
}
