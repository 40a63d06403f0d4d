using System.Buffers;

namespace Dsl.ArrowExtensions.Memory;

/// <summary>
/// A region of unmanaged memory (a native allocation, a memory-mapped file) exposed as <see cref="Memory{T}"/>, so
/// that Apache.Arrow buffers can point into it without a copy: <c>new ArrowBuffer(region.Memory[..n])</c>.
/// </summary>
/// <remarks>
/// <para>Lifetime. The creator holds one reference and gives it back with <see cref="Release"/> (or
/// <see cref="IDisposable.Dispose"/>); every <see cref="Pin"/> (which kernels take for the duration of a run) holds
/// another, so the memory is never freed under a running kernel. Apache.Arrow's arrays do not count references to
/// memory they did not allocate, so an array over a released region must not reach freed memory: after the last
/// release <see cref="GetSpan"/> and <see cref="Pin"/> throw <see cref="ObjectDisposedException"/> instead.</para>
/// <para>A region that is never released (a result column the caller detached, a mapped file's batches) is freed
/// by the finalizer once nothing references it: an array's buffer holds a <see cref="Memory{T}"/> of this manager,
/// so the region stays reachable exactly as long as some array can read it.</para>
/// </remarks>
internal abstract unsafe class NativeRegion : MemoryManager<byte>
{
    private readonly nint _address;
    private int _references = 1;
    private int _ownerReleased;

    protected NativeRegion(nint address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (address == 0 && length != 0) throw new ArgumentException("A non-empty region needs an address.", nameof(address));
        _address = address;
        Length = length;
    }

    /// <summary>Frees a region nobody released once nothing can reach it (see the remarks).</summary>
    /// <remarks>
    /// CA2015 warns that a span taken from <see cref="GetSpan"/> does not keep this manager alive. That is the
    /// contract of every Apache.Arrow buffer (its own <c>NativeMemoryManager</c> has the same finalizer): a span is
    /// valid while its array is referenced. Kernels never hold bare spans; they <see cref="Pin"/>, which does.
    /// </remarks>
#pragma warning disable CA2015
    ~NativeRegion() => Dispose(false);
#pragma warning restore CA2015

    /// <summary>The region's size in bytes.</summary>
    public int Length { get; }

    /// <summary>The first byte.</summary>
    /// <exception cref="ObjectDisposedException">The region was freed.</exception>
    public nint Address
    {
        get
        {
            ThrowIfFreed();
            return _address;
        }
    }

    /// <summary>The first byte, for <see cref="Free"/> (which runs after the last reference is gone).</summary>
    protected nint UncheckedAddress => _address;

    /// <summary>Whether the memory was freed.</summary>
    public bool IsFreed => Volatile.Read(ref _references) <= 0;

    /// <inheritdoc />
    public override Span<byte> GetSpan()
    {
        ThrowIfFreed();
        return new Span<byte>((void*)_address, Length);
    }

    /// <summary>Holds the memory until the handle is disposed (no GC pinning is needed for unmanaged memory).</summary>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        if ((uint)elementIndex > (uint)Length) throw new ArgumentOutOfRangeException(nameof(elementIndex));
        AddReference();
        return new MemoryHandle((byte*)_address + elementIndex, default, this);
    }

    /// <inheritdoc />
    public override void Unpin() => ReleaseReference();

    /// <summary>Gives back the creator's reference (once; later calls do nothing). The memory goes when no pin holds it.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _ownerReleased, 1) == 0)
        {
            GC.SuppressFinalize(this);
            ReleaseReference();
        }
    }

    /// <summary>Frees the memory; runs exactly once.</summary>
    /// <param name="finalizing">True when called by the finalizer (other managed objects may be gone).</param>
    protected abstract void Free(bool finalizing);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
        }
        else if (Interlocked.Exchange(ref _ownerReleased, 1) == 0 && Interlocked.Decrement(ref _references) == 0)
        {
            Free(finalizing: true);
        }
    }

    private void AddReference()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current <= 0) throw Freed();
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current) return;
        }
    }

    private void ReleaseReference()
    {
        if (Interlocked.Decrement(ref _references) == 0) Free(finalizing: false);
    }

    private void ThrowIfFreed()
    {
        if (IsFreed) throw Freed();
    }

    private ObjectDisposedException Freed() =>
        new(GetType().Name, "The native memory behind this Arrow buffer was released (was its result or reader disposed?).");
}
