namespace Dsl.Codegen.Aggregation;

/// <summary>
/// The interleaved parent-state arrays of a plan's previous evaluations, for the next one to clear and reuse: W5-3w's
/// state is 44 MB per evaluation, and a new array's pages are faulted in and zeroed by the kernel each time — work that
/// two threads also contend on in the kernel's page tables. Clearing an array that is already mapped costs a fraction of
/// that. Held weakly, so an idle plan keeps no memory the GC wants; an array is taken while in use, so concurrent runs
/// and evaluations never share one.
/// </summary>
internal sealed class StatePool
{
    private readonly List<WeakReference<Array>> _spare = [];

    /// <summary>A zeroed array of <paramref name="count"/> <typeparamref name="T"/>: a spare one cleared, or a new one.</summary>
    public T[] Rent<T>(int count)
        where T : struct
    {
        var spare = Take<T>(count);
        if (spare is null) return new T[count];
        System.Array.Clear(spare); // outside the lock: runs on other threads clear theirs at the same time
        return spare;
    }

    private T[]? Take<T>(int count)
    {
        lock (_spare)
        {
            for (var k = _spare.Count - 1; k >= 0; k--)
            {
                if (!_spare[k].TryGetTarget(out var array))
                {
                    _spare.RemoveAt(k);
                    continue;
                }

                if (array is T[] typed && typed.Length == count)
                {
                    _spare.RemoveAt(k);
                    return typed;
                }
            }
        }

        return null;
    }

    /// <summary>Gives <paramref name="array"/> back once its run is finished with it.</summary>
    public void Return(Array array)
    {
        lock (_spare)
        {
            // A bounded number of spares: one per parent range of the plan's thread count is what evaluations reuse.
            if (_spare.Count >= 16) _spare.RemoveAt(0);
            _spare.Add(new WeakReference<Array>(array));
        }
    }
}
