namespace Dsl.Streams.Processing;

/// <summary>A message that could not be processed: where it was in its source and why. The stream goes on.</summary>
/// <param name="Position">The message's position in its source (a line number, a stream sequence).</param>
/// <param name="Reason">What went wrong: the member and the problem, the JSON error, or the feature and its exception.</param>
public sealed record StreamError(long Position, string Reason);

/// <summary>What a stream resolver has done so far; read while it runs for progress lines.</summary>
public sealed class StreamCounters
{
    private readonly object _lock = new();
    private readonly Queue<StreamError> _recent = new();
    private readonly List<StreamError> _first = [];
    private long _messages, _filtered, _parseSkipped, _duplicates, _late, _errors, _written;

    /// <summary>How many of the first and of the latest errors are kept (memory stays bounded however many there are).</summary>
    public int Kept { get; init; } = 100;

    /// <summary>Messages read from the source.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Messages dropped by a header filter.</summary>
    public long Filtered => Interlocked.Read(ref _filtered);

    /// <summary>Messages the parse function returned null for.</summary>
    public long ParseSkipped => Interlocked.Read(ref _parseSkipped);

    /// <summary>Messages whose deduplication key was seen within the window.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Messages older than the late-arrival deadline when they arrived.</summary>
    public long Late => Interlocked.Read(ref _late);

    /// <summary>Messages that became error records.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Messages whose features were written.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>The first errors (up to <see cref="Kept"/>).</summary>
    public IReadOnlyList<StreamError> FirstErrors
    {
        get
        {
            lock (_lock) return [.. _first];
        }
    }

    /// <summary>The latest errors (up to <see cref="Kept"/>).</summary>
    public IReadOnlyList<StreamError> RecentErrors
    {
        get
        {
            lock (_lock) return [.. _recent];
        }
    }

    internal void Add(long messages, long filtered, long parseSkipped, long duplicates, long late, long written)
    {
        Interlocked.Add(ref _messages, messages);
        Interlocked.Add(ref _filtered, filtered);
        Interlocked.Add(ref _parseSkipped, parseSkipped);
        Interlocked.Add(ref _duplicates, duplicates);
        Interlocked.Add(ref _late, late);
        Interlocked.Add(ref _written, written);
    }

    internal void Error(StreamError error)
    {
        Interlocked.Increment(ref _errors);
        lock (_lock)
        {
            if (_first.Count < Kept) _first.Add(error);
            _recent.Enqueue(error);
            while (_recent.Count > Kept) _recent.Dequeue();
        }
    }
}
