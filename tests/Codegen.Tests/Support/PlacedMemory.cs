using System.Buffers;
using System.Runtime.InteropServices;

namespace Dsl.Codegen.Tests.Support;

/// <summary>Where <see cref="PlacedMemory"/> puts a buffer's first byte.</summary>
internal enum Placement
{
    /// <summary>At a 64-byte boundary, as Apache.Arrow's allocator and ours do.</summary>
    Aligned64,

    /// <summary>At an address ≡ 8 (mod 64): 8-byte aligned only, as Arrow IPC bodies guarantee.</summary>
    Offset8,

    /// <summary>At an odd address (≡ 1, 3, 5 or 7 mod 64): no alignment at all.</summary>
    Odd,

    /// <summary>Ending exactly where an inaccessible page begins: a read one byte past the buffer faults.</summary>
    EndsAtGuardPage,
}

/// <summary>
/// Native memory holding a copy of some bytes at a chosen placement, exposed as <see cref="Memory{T}"/> so that an
/// Apache.Arrow buffer can point into it. It counts the pins kernels take (<see cref="Pins"/>, <see cref="Unpins"/>)
/// and is freed by <see cref="IDisposable.Dispose"/> (after the arrays over it are no longer read).
/// </summary>
internal sealed unsafe class PlacedMemory : MemoryManager<byte>
{
    private const int ProtRead = 1, ProtWrite = 2, ProtNone = 0, MapPrivate = 2, MapAnonymous = 0x20;

    private readonly byte* _allocation;
    private readonly nuint _mappedBytes;
    private readonly byte* _start;
    private readonly int _length;
    private int _pins;
    private int _unpins;
    private int _freed;

    /// <summary>Copies <paramref name="bytes"/> into fresh native memory at <paramref name="placement"/>.</summary>
    /// <param name="bytes">The contents.</param>
    /// <param name="placement">Where the first byte goes.</param>
    /// <param name="oddShift">Which odd address (1, 3, 5 or 7 past a 64-byte boundary) <see cref="Placement.Odd"/> uses.</param>
    public PlacedMemory(ReadOnlySpan<byte> bytes, Placement placement, int oddShift = 0)
    {
        _length = bytes.Length;
        if (placement == Placement.EndsAtGuardPage)
        {
            if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("Guard pages are mapped with Linux's mmap.");
            var page = (nuint)Environment.SystemPageSize;
            var dataPages = ((nuint)_length + page - 1) / page;
            _mappedBytes = (dataPages + 1) * page;
            var mapped = mmap(0, _mappedBytes, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            if (mapped == -1) throw new InvalidOperationException($"mmap failed: errno {Marshal.GetLastPInvokeError()}");
            _allocation = (byte*)mapped;
            var guard = _allocation + dataPages * page;
            if (mprotect((nint)guard, page, ProtNone) != 0) throw new InvalidOperationException($"mprotect failed: errno {Marshal.GetLastPInvokeError()}");
            _start = guard - _length;
        }
        else
        {
            var shift = placement switch { Placement.Aligned64 => 0, Placement.Offset8 => 8, _ => 1 + 2 * (oddShift & 3) };
            _allocation = (byte*)NativeMemory.AlignedAlloc((nuint)(_length + 128), 64);
            NativeMemory.Fill(_allocation, (nuint)(_length + 128), 0xCD); // bytes around the buffer are garbage, as in a larger region
            _start = _allocation + shift;
        }

        bytes.CopyTo(new Span<byte>(_start, _length));
    }

    /// <summary>The address of the first byte.</summary>
    public nint Address => (nint)_start;

    /// <summary>How many times the memory was pinned.</summary>
    public int Pins => Volatile.Read(ref _pins);

    /// <summary>How many pins were released.</summary>
    public int Unpins => Volatile.Read(ref _unpins);

    /// <inheritdoc />
    public override Span<byte> GetSpan() => new(_start, _length);

    /// <inheritdoc />
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        Interlocked.Increment(ref _pins);
        return new MemoryHandle(_start + elementIndex, default, this);
    }

    /// <inheritdoc />
    public override void Unpin() => Interlocked.Increment(ref _unpins);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _freed, 1) != 0) return;
        if (_mappedBytes != 0) munmap((nint)_allocation, _mappedBytes);
        else NativeMemory.AlignedFree(_allocation);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", SetLastError = true)]
    private static extern int mprotect(nint address, nuint length, int protection);

    [DllImport("libc", SetLastError = true)]
    private static extern int munmap(nint address, nuint length);
}
