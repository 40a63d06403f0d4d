namespace Dsl.Arrow;

/// <summary>Shared reading of offsets buffers (buffer 1) for variable-length arrays: binary, utf8, large_utf8, list.</summary>
public abstract partial class Array
{
    /// <summary>
    /// Checks that buffer 1 holds offset + length + 1 offsets of <typeparamref name="TOffset"/>. A zero-length
    /// array may omit the buffer (some writers do); it then reads as the single offset 0.
    /// </summary>
    /// <exception cref="ArgumentException">The offsets buffer is too small.</exception>
    private protected static unsafe void RequireOffsets<TOffset>(ArrayData data)
        where TOffset : unmanaged
    {
        if (data.Length > 0 || !data.Buffer(1).IsEmpty)
        {
            RequireBuffer(data, 1, ((long)data.Offset + data.Length + 1) * sizeof(TOffset), "offsets");
        }
    }

    /// <summary>The <see cref="Length"/> + 1 offsets of rows [0, Length], starting at logical row 0.</summary>
    private protected unsafe ReadOnlySpan<TOffset> ReadOffsets<TOffset>()
        where TOffset : unmanaged
    {
        var offsets = Data.Buffer(1);
        return offsets.IsEmpty
            ? SingleZero<TOffset>.Span
            : new ReadOnlySpan<TOffset>((TOffset*)offsets.Address + Offset, Length + 1);
    }

    /// <summary>The address of logical row 0's offset, or 0 for a zero-length array without offsets.</summary>
    private protected unsafe nint OffsetsAddress<TOffset>()
        where TOffset : unmanaged
    {
        var offsets = Data.Buffer(1);
        return offsets.IsEmpty ? 0 : offsets.Address + (Offset * sizeof(TOffset));
    }

    /// <summary>Reads every row with <paramref name="read"/>, in row order.</summary>
    private protected T[] ReadAll<T>(Func<int, T> read)
    {
        var result = new T[Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = read(i);
        }

        return result;
    }

    private static class SingleZero<TOffset>
        where TOffset : unmanaged
    {
        private static readonly TOffset[] s_values = [default];

        public static ReadOnlySpan<TOffset> Span => s_values;
    }
}
