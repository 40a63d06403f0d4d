namespace Dsl.Codegen;

/// <summary>One failed row: the exception type's full name (<c>System.DivideByZeroException</c>) and message.</summary>
internal readonly record struct KernelRowError(int Row, string ExceptionType, string Message);

/// <summary>
/// Collects the rows whose evaluation threw. Thread-safe: ranges of one batch run concurrently and record into
/// the same sink. Each row fails at most once per run, and <see cref="Errors"/> is sorted by row, so the report
/// does not depend on how rows were split over threads.
/// </summary>
internal sealed class RowErrorSink
{
    private readonly List<KernelRowError> _errors = [];
    private readonly Lock _gate = new();

    /// <summary>How many rows failed so far.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _errors.Count;
        }
    }

    /// <summary>Records that <paramref name="row"/> threw <paramref name="exception"/>.</summary>
    public void Record(int row, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = new KernelRowError(row, exception.GetType().FullName ?? exception.GetType().Name, exception.Message);
        lock (_gate) _errors.Add(error);
    }

    /// <summary>The recorded errors, sorted by row.</summary>
    public IReadOnlyList<KernelRowError> Errors
    {
        get
        {
            KernelRowError[] copy;
            lock (_gate) copy = [.. _errors];
            // Usually sorted already (each range records its rows in order, ranges mostly finish in order): then no sort.
            for (var k = 1; k < copy.Length; k++)
            {
                if (copy[k - 1].Row <= copy[k].Row) continue;
                Array.Sort(copy, static (a, b) => a.Row.CompareTo(b.Row));
                break;
            }

            return copy;
        }
    }
}
