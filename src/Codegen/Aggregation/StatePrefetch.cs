using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Dsl.Codegen.Aggregation;

/// <summary>
/// Asks the CPU to bring a parent's state into the cache ahead of the row that updates it. With hundreds of thousands of
/// parents the state does not fit the cache and a related row's update waits for memory; the scan knows the parents of
/// the rows it will visit next (their row numbers are selected a block at a time), so it starts those loads a few rows
/// early and they overlap instead of queueing behind mispredicted branches. A prefetch never faults and changes no value.
/// </summary>
internal static unsafe class StatePrefetch
{
    /// <summary>Prefetches the cache lines of <paramref name="state"/>[<paramref name="index"/>] (nothing when out of range or unsupported).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Slot<T>(T[] state, int index)
        where T : struct
    {
        if (!Sse.IsSupported || (uint)index >= (uint)state.Length) return;
        // The address is used at once and only as a hint: a GC moving the array in between costs a useless prefetch.
        var first = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(state), index));
        Sse.Prefetch0(first);
        if (Unsafe.SizeOf<T>() > 1) Sse.Prefetch0(first + Unsafe.SizeOf<T>() - 1);
    }
}
