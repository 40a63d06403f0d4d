using System.Buffers;

namespace Dsl.Codegen.Aggregation;

/// <summary>
/// The row selection of a selected-row scan (<see cref="RowSelection"/>), done once for all the parent ranges of an
/// evaluation instead of once per range: the related rows are cut into chunks, and each range's run, when it needs the
/// next chunk and nobody has selected it yet, selects the next unclaimed chunk for every range at once — so the runs of
/// a multi-threaded evaluation share the pass over the event-time column and the parent map (120 MB for W5's 10M rows)
/// instead of each making it over all rows. A chunk's selected rows are split by range, in row order, so every run still
/// visits its parents' rows in row order (each parent's sums accumulate as LINQ's do).
/// </summary>
/// <remarks>
/// No run ever waits on another: when the chunk a run needs is being selected by another run and no chunk is left to
/// claim, the run selects that chunk for itself (<see cref="SelectedBlocks"/>), as every run did before. The first run
/// to arrive fixes the lower bound; a run whose own lowest bound is at or above it reads the shared selection (a superset
/// of the rows it needs: its visits test every row's bounds again), and any other run selects its rows itself. A chunk's
/// selected rows go to the chunk's own part of two arrays with a slot per related row (<see cref="SelectionBuffers"/>,
/// which an evaluation hands to the next: only the selected rows' slots are written, so they need no clearing).
/// </remarks>
internal sealed class SharedSelection
{
    private readonly int[] _parentOf;
    private readonly int _parents;
    private readonly int _rangeSize;
    private readonly int _ranges;
    private readonly long _eventMin;
    private readonly long _eventMax;
    private readonly Chunk?[] _chunks;
    private readonly SelectionBuffers _buffers;
    private readonly Lock _admit = new();
    private int _claimed;
    private bool _started;
    private long _lower;
    private nint _eventTimes;

    /// <param name="parentOf">Per related row, its parent's row, or −1.</param>
    /// <param name="parents">How many parents the runs cover together.</param>
    /// <param name="rangeSize">The parents per run: the run at parent <c>k × rangeSize</c> covers [k × rangeSize, (k + 1) × rangeSize).</param>
    /// <param name="chunkRows">Related rows per chunk.</param>
    /// <param name="eventMin">The smallest raw event time that converts to a DateTime.</param>
    /// <param name="eventMax">The largest raw event time that converts to a DateTime.</param>
    /// <param name="buffers">Where the selected rows go: an earlier evaluation's when it has a slot per related row, else null (new ones).</param>
    public SharedSelection(int[] parentOf, int parents, int rangeSize, int chunkRows, long eventMin, long eventMax, SelectionBuffers? buffers = null)
    {
        if (rangeSize <= 0 || chunkRows <= 0 || parents < 0) throw new ArgumentOutOfRangeException(nameof(rangeSize), "Ranges and chunks need at least one parent and one row.");
        _buffers = buffers?.Fits(parentOf.Length) == true ? buffers : new SelectionBuffers(parentOf.Length);
        _parentOf = parentOf;
        _parents = parents;
        _rangeSize = rangeSize;
        _ranges = Math.Max(1, (parents + rangeSize - 1) / rangeSize);
        ChunkRows = chunkRows;
        _eventMin = eventMin;
        _eventMax = eventMax;
        _chunks = new Chunk?[(parentOf.Length + chunkRows - 1) / chunkRows];
    }

    /// <summary>Related rows per chunk.</summary>
    public int ChunkRows { get; }

    /// <summary>The arrays the selected rows are in (for the next evaluation to reuse once this one is done).</summary>
    public SelectionBuffers Buffers => _buffers;

    /// <summary>How many chunks the related rows are cut into.</summary>
    public int Chunks => _chunks.Length;

    /// <summary>The related rows.</summary>
    public int Rows => _parentOf.Length;

    /// <summary>
    /// The chunk size for <paramref name="rows"/> related rows shared by <paramref name="ranges"/> runs: about sixteen
    /// chunks per run (so runs that finish at different times still share the work), at most 65,536 rows (each chunk's
    /// scratch stays in the cache) and at least 64.
    /// </summary>
    public static int ChunkRowsFor(int rows, int ranges) =>
        (int)Math.Clamp(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, rows / Math.Max(1, ranges * 16))), 64, 1 << 16);

    /// <summary>
    /// Whether the run with lowest bound <paramref name="lower"/> over the event times at <paramref name="eventTimes"/> reads
    /// the shared selection: the first run fixes the bound; later ones read it when theirs is at or above it.
    /// </summary>
    public bool Admit(nint eventTimes, long lower)
    {
        lock (_admit)
        {
            if (!_started)
            {
                (_started, _lower, _eventTimes) = (true, lower, eventTimes);
                return true;
            }

            return eventTimes == _eventTimes && lower >= _lower;
        }
    }

    /// <summary>The run (range index) that covers <paramref name="start"/>; it must start a range.</summary>
    public int RangeOf(int start) => start % _rangeSize == 0 && start < _parents
        ? start / _rangeSize
        : throw new ArgumentOutOfRangeException(nameof(start), $"Parent {start} does not start a range of {_rangeSize}.");

    /// <summary>
    /// Chunk <paramref name="chunk"/>, selected: already, or now by this run — which meanwhile selects the next unclaimed
    /// chunks, in order, until the one it needs is done. Null when that chunk is being selected by another run and none is
    /// left to claim (the caller selects its rows itself rather than wait).
    /// </summary>
    public Chunk? Take(int chunk)
    {
        while (true)
        {
            if (Volatile.Read(ref _chunks[chunk]) is { } done) return done;
            if (Volatile.Read(ref _claimed) >= _chunks.Length) return Volatile.Read(ref _chunks[chunk]);
            var claim = Interlocked.Increment(ref _claimed) - 1;
            if (claim >= _chunks.Length) return Volatile.Read(ref _chunks[chunk]);
            Volatile.Write(ref _chunks[claim], Select(claim));
        }
    }

    /// <summary>
    /// Claims the next chunk without selecting it, as a run does the moment before it selects one; returns its index, or
    /// −1 when none is left. For tests: the runs that need that chunk meanwhile select their rows themselves.
    /// </summary>
    internal int ClaimWithoutSelecting()
    {
        var claim = Interlocked.Increment(ref _claimed) - 1;
        return claim < _chunks.Length ? claim : -1;
    }

    /// <summary>Selects a chunk's rows for every range (one pass, then split by range; or a pass per range), in row order, into the chunk's part of the buffers.</summary>
    private Chunk Select(int chunk)
    {
        var from = chunk * ChunkRows;
        var to = Math.Min(_parentOf.Length, from + ChunkRows);
        var rows = ArrayPool<int>.Shared.Rent(to - from);
        var parents = ArrayPool<int>.Shared.Rent(to - from);
        try
        {
            var result = new Chunk(_ranges);
            if (_ranges <= PassesPerRange) return SelectPerRange(result, from, to, rows, parents);
            var taken = RowSelection.Select(_eventTimes, _parentOf, from, to, 0, _parents, _lower, _eventMin, _eventMax, rows, parents);
            for (var i = 0; i < taken; i++) result.Ends[parents[i] / _rangeSize]++;
            var next = new int[_ranges];
            for (int k = 0, at = from; k < _ranges; k++)
            {
                result.Starts[k] = next[k] = at;
                at += result.Ends[k];
                result.Ends[k] = at;
            }

            var (rowsOut, localsOut) = (_buffers.Rows, _buffers.Locals);
            for (var i = 0; i < taken; i++)
            {
                var parent = parents[i];
                var range = parent / _rangeSize;
                var slot = next[range]++;
                rowsOut[slot] = rows[i];
                localsOut[slot] = parent - range * _rangeSize;
            }

            return result;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rows);
            ArrayPool<int>.Shared.Return(parents);
        }
    }

    /// <summary>
    /// Up to this many ranges, a chunk is selected once per range (the second pass reads the chunk from the L2 cache, and
    /// packs each range's rows with no split after); with more, once for all, then split by range.
    /// </summary>
    private const int PassesPerRange = 4;

    /// <summary>The chunk's rows selected one range at a time into <paramref name="rows"/> and <paramref name="locals"/>, each range's then copied to the buffers.</summary>
    private Chunk SelectPerRange(Chunk result, int from, int to, int[] rows, int[] locals)
    {
        var at = from;
        for (var k = 0; k < _ranges; k++)
        {
            var start = k * _rangeSize;
            var taken = RowSelection.Select(_eventTimes, _parentOf, from, to, start, Math.Min(_rangeSize, _parents - start), _lower, _eventMin, _eventMax, rows, locals);
            System.Array.Copy(rows, 0, _buffers.Rows, at, taken);
            System.Array.Copy(locals, 0, _buffers.Locals, at, taken);
            result.Starts[k] = at;
            at += taken;
            result.Ends[k] = at;
        }

        return result;
    }

    /// <summary>One chunk's selected rows per range: where they start and end in the buffers.</summary>
    internal sealed class Chunk(int ranges)
    {
        public int[] Starts { get; } = new int[ranges];

        public int[] Ends { get; } = new int[ranges];
    }
}

/// <summary>
/// Where a <see cref="SharedSelection"/> puts the selected rows: per related row a slot for its row number and one for
/// its parent's index in its run, and <see cref="SelectedBlocks.PrefetchPad"/> readable slots past the last.
/// </summary>
internal sealed class SelectionBuffers(int rows)
{
    public int[] Rows { get; } = new int[rows];

    public int[] Locals { get; } = new int[rows + SelectedBlocks.PrefetchPad];

    /// <summary>Whether these hold a selection of <paramref name="rows"/> related rows.</summary>
    public bool Fits(int rows) => Rows.Length == rows;
}

/// <summary>
/// The rows one run of a selected-row scan visits, a block at a time, in row order: from the evaluation's
/// <see cref="SharedSelection"/> when the run may read it, else selected by the run itself (2,048 rows at a time, which
/// stay in the L1 cache). After each <see cref="Next"/> that returns true, <see cref="Rows"/>[<see cref="First"/> ..
/// <see cref="End"/>) are the block's row numbers and <see cref="Locals"/> at the same indices their parents' indices in
/// the run, with <see cref="PrefetchPad"/> readable slots past the last.
/// </summary>
internal sealed class SelectedBlocks
{
    /// <summary>Rows a run selects for itself at a time.</summary>
    public const int BlockRows = 2048;

    /// <summary>How many selected rows ahead the scan prefetches the parent state (slots past the last row it may read).</summary>
    public const int PrefetchPad = 16;

    private readonly nint _eventTimes;
    private readonly int[] _parentOf;
    private readonly int _start;
    private readonly int _count;
    private readonly long _lower;
    private readonly long _eventMin;
    private readonly long _eventMax;
    private readonly SharedSelection? _shared;
    private readonly int _range;
    private int[]? _ownRows;
    private int[]? _ownLocals;

    // The rows [_next, _end) are left to select here; with a shared selection, _chunk is the next chunk to read from it.
    private int _next;
    private int _end;
    private int _chunk;

    private SelectedBlocks(nint eventTimes, int[] parentOf, int start, int count, long lower, long eventMin, long eventMax, SharedSelection? shared)
    {
        (_eventTimes, _parentOf, _start, _count, _lower, _eventMin, _eventMax) = (eventTimes, parentOf, start, count, lower, eventMin, eventMax);
        if (shared is not null && shared.Admit(eventTimes, lower))
        {
            _shared = shared;
            _range = shared.RangeOf(start);
        }
        else
        {
            _end = parentOf.Length;
        }
    }

    /// <summary>The selected rows of the current block.</summary>
    public int[] Rows { get; private set; } = [];

    /// <summary>The current block's rows' parents, as indices in the run (parent − start).</summary>
    public int[] Locals { get; private set; } = [];

    /// <summary>Where the current block's rows start in <see cref="Rows"/> and <see cref="Locals"/>.</summary>
    public int First { get; private set; }

    /// <summary>Where the current block's rows end in <see cref="Rows"/> and <see cref="Locals"/> (after the last).</summary>
    public int End { get; private set; }

    /// <summary>The rows of the run [<paramref name="start"/>, start + <paramref name="count"/>) above <paramref name="lower"/> (or outside DateTime's range).</summary>
    public static SelectedBlocks Start(AggregationFrame frame, nint eventTimes, int start, int count, long lower) =>
        Start(eventTimes, frame.ParentOf, start, count, lower, frame.EventMin, frame.EventMax, frame.Selection);

    /// <summary>The rows of the run [<paramref name="start"/>, start + <paramref name="count"/>), from <paramref name="shared"/> when it may read it.</summary>
    internal static SelectedBlocks Start(nint eventTimes, int[] parentOf, int start, int count, long lower, long eventMin, long eventMax, SharedSelection? shared) =>
        new(eventTimes, parentOf, start, count, lower, eventMin, eventMax, shared);

    /// <summary>Moves to the next block with at least one row; false once every row was seen.</summary>
    public bool Next()
    {
        while (true)
        {
            if (_next < _end)
            {
                _ownRows ??= new int[BlockRows];
                _ownLocals ??= new int[BlockRows + PrefetchPad];
                var blockEnd = _next > _end - BlockRows ? _end : _next + BlockRows;
                End = RowSelection.Select(_eventTimes, _parentOf, _next, blockEnd, _start, _count, _lower, _eventMin, _eventMax, _ownRows, _ownLocals);
                (Rows, Locals, First, _next) = (_ownRows, _ownLocals, 0, blockEnd);
                if (End > 0) return true;
                continue;
            }

            if (_shared is null || _chunk >= _shared.Chunks) return false;
            var chunk = _chunk++;
            if (_shared.Take(chunk) is { } selected)
            {
                (Rows, Locals, First, End) = (_shared.Buffers.Rows, _shared.Buffers.Locals, selected.Starts[_range], selected.Ends[_range]);
                if (End > First) return true;
                continue;
            }

            // Another run is selecting this chunk and none is left to claim: select its rows here rather than wait.
            _next = chunk * _shared.ChunkRows;
            _end = Math.Min(_shared.Rows, _next + _shared.ChunkRows);
        }
    }
}
