using Apache.Arrow;

namespace Dsl.ArrowExtensions.Memory;

/// <summary>
/// A writable, growable native buffer (64-byte aligned, zero padded) that becomes an Apache.Arrow buffer without a
/// copy: fill it through <see cref="Address"/> or <see cref="Span"/>, then <see cref="Seal"/> it, which hands its
/// block to a <see cref="NativeBlockSet"/> (the owner that frees it) and returns the buffer.
/// </summary>
internal sealed unsafe class NativeBuffer : IDisposable
{
    private NativeBlock? _block;
    private long _length;

    private NativeBuffer(NativeBlock block, long length)
    {
        _block = block;
        _length = length;
    }

    /// <summary>Allocates <paramref name="byteLength"/> bytes; the padding is zero, the rest too when <paramref name="zeroFill"/>.</summary>
    public static NativeBuffer Allocate(long byteLength, bool zeroFill = true) => new(NativeBlock.Allocate(byteLength, zeroFill), byteLength);

    /// <summary>The first byte.</summary>
    public nint Address => Block.Address;

    /// <summary>The usable length in bytes.</summary>
    public long Length
    {
        get
        {
            _ = Block;
            return _length;
        }
    }

    /// <summary>The usable bytes, writable.</summary>
    public Span<byte> Span => new((void*)Address, checked((int)Length));

    /// <summary>The usable bytes as values of <typeparamref name="T"/> (a trailing partial value is excluded).</summary>
    public Span<T> AsSpan<T>()
        where T : unmanaged => new((void*)Address, checked((int)(Length / sizeof(T))));

    /// <summary>The allocated capacity (the usable length rounded up to the block size).</summary>
    public long Capacity => Block.Capacity;

    private NativeBlock Block => _block ?? throw new ObjectDisposedException(nameof(NativeBuffer), "The buffer was sealed or disposed.");

    /// <summary>
    /// Changes the usable length, moving to a larger block (copying the contents) when the capacity is too small.
    /// Bytes beyond the old length are zero.
    /// </summary>
    public void Resize(long byteLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        EnsureCapacity(byteLength);
        if (byteLength < _length) new Span<byte>((byte*)Address + byteLength, checked((int)(_length - byteLength))).Clear();
        _length = byteLength;
    }

    /// <summary>Makes the capacity at least <paramref name="byteCapacity"/>, at least doubling when it grows.</summary>
    public void EnsureCapacity(long byteCapacity)
    {
        var block = Block;
        if (byteCapacity <= block.Capacity) return;
        var grown = NativeBlock.Allocate(Math.Max(byteCapacity, block.Capacity * 2));
        System.Buffer.MemoryCopy((void*)block.Address, (void*)grown.Address, grown.Capacity, _length);
        block.Release();
        _block = grown;
    }

    /// <summary>
    /// Ends writing: the first <paramref name="byteLength"/> bytes become an Apache.Arrow buffer over this memory (no
    /// copy), and <paramref name="owner"/> takes the block, which it frees when disposed.
    /// </summary>
    public ArrowBuffer Seal(long byteLength, NativeBlockSet owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var block = Block;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(byteLength, block.Capacity);
        _block = null;
        owner.Add(block);
        return new ArrowBuffer(block.Memory[..checked((int)byteLength)]);
    }

    /// <summary>Frees the block unless it was sealed.</summary>
    public void Dispose() => Interlocked.Exchange(ref _block, null)?.Release();
}
