namespace Dsl.ArrowExtensions.Memory;

/// <summary>
/// The native blocks behind a set of Apache.Arrow arrays (an evaluation's result columns): disposing the set frees
/// them (large ones go back to <see cref="LargeBlockPool"/>). Apache.Arrow does not free memory it did not allocate,
/// so this set is where ownership lives; arrays read after it is disposed throw <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class NativeBlockSet : IDisposable
{
    private readonly List<NativeBlock> _blocks = [];
    private readonly object _lock = new();
    private bool _disposed;

    /// <summary>The bytes the set holds.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock) return _blocks.Sum(block => block.Capacity);
        }
    }

    /// <summary>Takes ownership of <paramref name="block"/> (freed at once when the set was already disposed).</summary>
    public void Add(NativeBlock block)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _blocks.Add(block);
                return;
            }
        }

        block.Release();
    }

    /// <summary>Moves every block into <paramref name="other"/>.</summary>
    public void MoveTo(NativeBlockSet other)
    {
        NativeBlock[] blocks;
        lock (_lock)
        {
            blocks = [.. _blocks];
            _blocks.Clear();
        }

        foreach (var block in blocks) other.Add(block);
    }

    /// <summary>
    /// Gives up ownership: the blocks are no longer freed by <see cref="Dispose"/> but by the garbage collector, once
    /// no array references them (the memory pressure is reported to the GC so that it collects in time).
    /// </summary>
    public void Detach()
    {
        NativeBlock[] blocks;
        lock (_lock)
        {
            blocks = [.. _blocks];
            _blocks.Clear();
        }

        foreach (var block in blocks) block.DetachToCollector();
    }

    /// <summary>Frees every block the set still owns.</summary>
    public void Dispose()
    {
        NativeBlock[] blocks;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            blocks = [.. _blocks];
            _blocks.Clear();
        }

        foreach (var block in blocks) block.Release();
    }
}
