namespace Dsl.Engine.Store.InProcess;

/// <summary>
/// In-process sessions with one Garnet server, lent to one caller at a time and kept for the next (a session holds its
/// reply buffer and Garnet's per-session state, too much to build per call). Closing waits for the sessions lent out,
/// so the server never stops under a running command.
/// </summary>
internal sealed class GarnetSessions(GarnetHost host) : IDisposable
{
    // More idle sessions than concurrent callers would only hold memory: a few per core covers the query server.
    private static readonly int s_mostIdle = Environment.ProcessorCount * 4;
    private readonly Stack<InProcessSession> _idle = new();
    private int _lent;
    private volatile bool _closed;

    /// <summary>A session for the caller alone until it gives it back with <see cref="Return"/>.</summary>
    /// <exception cref="ObjectDisposedException">The sessions are closed (the store was disposed).</exception>
    public InProcessSession Rent()
    {
        Interlocked.Increment(ref _lent);
        if (_closed)
        {
            Interlocked.Decrement(ref _lent);
            throw new ObjectDisposedException(nameof(GarnetSessions), "The embedded Garnet store is closed.");
        }
        lock (_idle)
        {
            if (_idle.TryPop(out var idle)) return idle;
        }
        try
        {
            return new InProcessSession(host);
        }
        catch
        {
            Interlocked.Decrement(ref _lent);
            throw;
        }
    }

    /// <summary>Gives a session back: kept for the next caller while usable and the sessions are open.</summary>
    public void Return(InProcessSession session)
    {
        var kept = false;
        if (session.Usable && !_closed)
        {
            lock (_idle)
            {
                if (_idle.Count < s_mostIdle)
                {
                    _idle.Push(session);
                    kept = true;
                }
            }
        }
        if (!kept) session.Dispose();
        Interlocked.Decrement(ref _lent);
    }

    /// <summary>Takes no more callers, waits (up to five seconds) for the sessions lent out, and closes the idle ones.</summary>
    public void Dispose()
    {
        _closed = true;
        SpinWait.SpinUntil(() => Volatile.Read(ref _lent) == 0, TimeSpan.FromSeconds(5));
        lock (_idle)
        {
            while (_idle.TryPop(out var idle)) idle.Dispose();
        }
    }
}
