namespace Dsl.Codegen.Aggregation;

/// <summary>
/// The parents whose aggregate ended with an exception, kept compact: a row number and a reference to the exception per
/// failed parent — no string, record or lock per error. A short window's <c>Average</c> fails for most parents, all with
/// the one "Sequence contains no elements" exception the kernel records without throwing, so hundreds of thousands of
/// errors cost two array slots each. Each run of the kernel (a parent range) records into its own
/// <see cref="AggregateErrorRun"/>, so ranges on several threads never contend; <see cref="Rows"/> and
/// <see cref="Exceptions"/> list the runs in parent order, sorted by row whatever the thread count.
/// </summary>
internal sealed class AggregateErrors
{
    private readonly List<AggregateErrorRun> _runs = [];
    private readonly Lock _gate = new();
    private int[]? _rows;
    private Exception[]? _exceptions;

    /// <summary>The recorder of the run starting at parent <paramref name="start"/> (runs never overlap).</summary>
    public AggregateErrorRun Run(int start)
    {
        var run = new AggregateErrorRun(start);
        lock (_gate) _runs.Add(run);
        return run;
    }

    /// <summary>How many parents failed.</summary>
    public int Count => Rows.Length;

    /// <summary>The failed parents' rows, ascending.</summary>
    public int[] Rows
    {
        get
        {
            Merge();
            return _rows!;
        }
    }

    /// <summary>Per failed parent (as <see cref="Rows"/>), its exception.</summary>
    public Exception[] Exceptions
    {
        get
        {
            Merge();
            return _exceptions!;
        }
    }

    private void Merge()
    {
        lock (_gate)
        {
            if (_rows is not null) return;
            var runs = _runs.OrderBy(r => r.Start).ToArray();
            var total = runs.Sum(r => r.Count);
            _rows = new int[total];
            _exceptions = new Exception[total];
            var at = 0;
            foreach (var run in runs)
            {
                run.CopyTo(_rows.AsSpan(at), _exceptions.AsSpan(at));
                at += run.Count;
            }
        }
    }
}

/// <summary>The errors of one kernel run, recorded in parent order by the one thread running it.</summary>
internal sealed class AggregateErrorRun(int start)
{
    private int[] _rows = [];
    private Exception[] _exceptions = [];

    public int Start { get; } = start;

    public int Count { get; private set; }

    /// <summary>Records that the aggregate of parent <paramref name="row"/> ended with <paramref name="exception"/>.</summary>
    public void Record(int row, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Count == _rows.Length)
        {
            var capacity = Math.Max(16, Count * 2);
            Array.Resize(ref _rows, capacity);
            Array.Resize(ref _exceptions, capacity);
        }

        _rows[Count] = row;
        _exceptions[Count++] = exception;
    }

    public void CopyTo(Span<int> rows, Span<Exception> exceptions)
    {
        _rows.AsSpan(0, Count).CopyTo(rows);
        _exceptions.AsSpan(0, Count).CopyTo(exceptions);
    }
}
