using System.Buffers;
using Apache.Arrow.Memory;

namespace Dsl.ArrowExtensions.Memory;

/// <summary>
/// Apache.Arrow buffers on the managed heap (zeroed byte arrays), for the small columns an online query builds and drops.
/// Apache.Arrow's default allocator takes native memory for every buffer, tells the GC about it (<c>GC.AddMemoryPressure</c>,
/// which provokes collections) and frees it only when a finalizer runs, since nobody disposes those arrays: under load that
/// was allocation, finalizer and GC work on every query. Managed buffers are collected like any other short-lived object.
/// Not for large or long-lived columns (evaluation results keep <see cref="NativeBlockSet"/>).
/// </summary>
internal sealed class ManagedMemoryAllocator : MemoryAllocator
{
    public static ManagedMemoryAllocator Instance { get; } = new();

    private ManagedMemoryAllocator()
    {
    }

    protected override IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
    {
        bytesAllocated = length;
        return new Owner(new byte[length]);
    }

    /// <summary>The array as Apache.Arrow's owned memory; disposing it leaves the array to the GC.</summary>
    private sealed class Owner(byte[] array) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory => array;

        public void Dispose()
        {
        }
    }
}
