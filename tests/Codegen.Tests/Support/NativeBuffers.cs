using System.Runtime.InteropServices;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.Codegen.Tests.Support;

/// <summary>Native copies of test values, for the kernel helpers that read raw addresses.</summary>
internal static class NativeBuffers
{
    /// <summary>A native buffer holding <paramref name="values"/> (the caller disposes it).</summary>
    public static NativeBuffer Of<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values);
        var buffer = NativeBuffer.Allocate(bytes.Length);
        bytes.CopyTo(buffer.Span);
        return buffer;
    }
}
