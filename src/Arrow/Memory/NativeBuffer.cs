namespace Dsl.Arrow.Memory;

/// <summary>
/// A writable, 64-byte aligned native buffer: fill it through <see cref="Span"/> or <see cref="AsSpan{T}"/>,
/// then hand <see cref="ToArrowBuffer()"/> to an <see cref="ArrayData"/> (no copy; the array data takes its own
/// reference) and dispose this buffer. The memory lives until the last holder lets go.
/// </summary>
public sealed unsafe class NativeBuffer : IDisposable
{
    private NativeMemoryOwner? _owner;
    private long _length;

    private NativeBuffer(NativeMemoryOwner owner, long length)
    {
        _owner = owner;
        _length = length;
    }

    /// <summary>Allocates <paramref name="byteLength"/> bytes, 64-byte aligned, padded with zeros to a multiple of 64.</summary>
    /// <param name="byteLength">The usable length in bytes.</param>
    /// <param name="zeroFill">Whether the usable bytes start as zero (the padding always does).</param>
    public static NativeBuffer Allocate(long byteLength, bool zeroFill = true) =>
        new(NativeMemoryOwner.Allocate(byteLength, zeroFill), byteLength);

    /// <summary>A native copy of <paramref name="bytes"/>.</summary>
    public static NativeBuffer FromBytes(ReadOnlySpan<byte> bytes)
    {
        var buffer = Allocate(bytes.Length, zeroFill: false);
        bytes.CopyTo(buffer.Span);
        return buffer;
    }

    /// <summary>A native copy of <paramref name="values"/>.</summary>
    public static NativeBuffer FromValues<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        var buffer = Allocate((long)values.Length * sizeof(T), zeroFill: false);
        values.CopyTo(buffer.AsSpan<T>());
        return buffer;
    }

    /// <summary>The first byte.</summary>
    public nint Address => Owner.Address;

    /// <summary>The usable length in bytes.</summary>
    public long Length
    {
        get
        {
            _ = Owner;
            return _length;
        }
    }

    /// <summary>The usable bytes, writable.</summary>
    public Span<byte> Span => new((void*)Address, checked((int)Length));

    /// <summary>The usable bytes as values of <typeparamref name="T"/> (a trailing partial value is excluded).</summary>
    public Span<T> AsSpan<T>()
        where T : unmanaged => new((void*)Address, checked((int)(Length / sizeof(T))));

    /// <summary>The memory owner (for subclasses of Arrow code that need to take references).</summary>
    internal NativeMemoryOwner Owner =>
        _owner ?? throw new ObjectDisposedException(nameof(NativeBuffer));

    /// <summary>The allocated capacity in bytes (the usable length rounded up to a multiple of 64).</summary>
    internal long Capacity => Owner.Length;

    /// <summary>An immutable view of the usable bytes, sharing this memory (no copy).</summary>
    public ArrowBuffer ToArrowBuffer() => new(Owner, Owner.Address, Length);

    /// <summary>An immutable view of the first <paramref name="byteLength"/> bytes, sharing this memory.</summary>
    public ArrowBuffer ToArrowBuffer(long byteLength) => ToArrowBuffer().Slice(0, byteLength);

    /// <summary>
    /// Changes the usable length, moving to a larger allocation (copying the contents) when the capacity is
    /// too small. Bytes beyond the old length are zero. Views taken earlier keep pointing at the old memory.
    /// </summary>
    internal void Resize(long byteLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        EnsureCapacity(byteLength);
        if (byteLength < _length)
        {
            new Span<byte>((byte*)Address + byteLength, checked((int)(_length - byteLength))).Clear();
        }

        _length = byteLength;
    }

    /// <summary>Makes the capacity at least <paramref name="byteCapacity"/>, at least doubling when it grows.</summary>
    internal void EnsureCapacity(long byteCapacity)
    {
        var owner = Owner;
        if (byteCapacity <= owner.Length)
        {
            return;
        }

        var grown = NativeMemoryOwner.Allocate(Math.Max(byteCapacity, owner.Length * 2));
        System.Buffer.MemoryCopy((void*)owner.Address, (void*)grown.Address, grown.Length, _length);
        owner.Release();
        _owner = grown;
    }

    /// <summary>Releases this buffer's reference; the memory stays alive while array data hold references.</summary>
    public void Dispose()
    {
        var owner = Interlocked.Exchange(ref _owner, null);
        owner?.Release();
    }
}
