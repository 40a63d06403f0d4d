namespace Dsl.Arrow.Memory;

/// <summary>
/// A reference-counted region of memory that Arrow buffers point into: native allocations, and (in the IPC
/// reader) memory-mapped files. The creator holds the first reference; every <see cref="ArrayData"/> that
/// points into the region holds one more, so a slice keeps the region alive after its parent is disposed.
/// When the last reference is released, <see cref="Free"/> runs exactly once.
/// </summary>
public abstract class MemoryOwner
{
    private int _referenceCount = 1;

    /// <summary>Initialises an owner of <paramref name="length"/> bytes at <paramref name="address"/>, with one reference.</summary>
    protected MemoryOwner(nint address, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (address == 0 && length != 0)
        {
            throw new ArgumentException("A non-empty memory region needs a non-null address.", nameof(address));
        }

        Address = address;
        Length = length;
    }

    /// <summary>The first byte of the region.</summary>
    public nint Address { get; }

    /// <summary>The size of the region in bytes.</summary>
    public long Length { get; }

    /// <summary>Whether the last reference was released and the memory is gone.</summary>
    public bool IsReleased => Volatile.Read(ref _referenceCount) <= 0;

    /// <summary>The number of live references (for diagnostics and tests).</summary>
    public int ReferenceCount => Math.Max(0, Volatile.Read(ref _referenceCount));

    /// <summary>Takes one more reference.</summary>
    /// <exception cref="ObjectDisposedException">The memory was already released.</exception>
    public void AddRef()
    {
        while (true)
        {
            var current = Volatile.Read(ref _referenceCount);
            if (current <= 0)
            {
                throw new ObjectDisposedException(GetType().Name, "The memory was already released.");
            }

            if (Interlocked.CompareExchange(ref _referenceCount, current + 1, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>Gives back one reference; the last one frees the memory.</summary>
    /// <exception cref="InvalidOperationException">More references were released than were taken.</exception>
    public void Release()
    {
        while (true)
        {
            var current = Volatile.Read(ref _referenceCount);
            if (current <= 0)
            {
                throw new InvalidOperationException($"{GetType().Name} was released more times than it was referenced.");
            }

            if (Interlocked.CompareExchange(ref _referenceCount, current - 1, current) == current)
            {
                if (current == 1)
                {
                    Free();
                }

                return;
            }
        }
    }

    /// <summary>Frees the memory; called once, when the last reference is released.</summary>
    protected abstract void Free();

    /// <summary>Throws <see cref="ObjectDisposedException"/> when the memory was released.</summary>
    internal void ThrowIfReleased()
    {
        if (IsReleased)
        {
            throw new ObjectDisposedException(GetType().Name, "The memory behind this Arrow buffer was already released.");
        }
    }
}
