using Apache.Arrow;
using Dsl.Engine.Offline;
using Dsl.Engine.Store;
using Dsl.Runtime;
using Dsl.Streams.Definition;
using Dsl.Streams.Parsing;
using Dsl.Streams.Sinks;
using Dsl.Streams.Sources;

namespace Dsl.Streams.Processing;

/// <summary>Where a stream resolver's results go, and its limits.</summary>
public sealed record StreamTargets
{
    /// <summary>The online store (the engine's: embedded Garnet or Redis); null: no online writes.</summary>
    public IOnlineStore? Online { get; init; }

    /// <summary>The offline store; null: no offline writes.</summary>
    public IOfflineStore? Offline { get; init; }

    /// <summary>Where a sink publishes; required when the resolver has a sink.</summary>
    public IMessagePublisher? Publisher { get; init; }

    /// <summary>A message longer than this becomes an error record unread.</summary>
    public int MaxMessageBytes { get; init; } = 1 << 20;

    /// <summary>The clock late arrivals are judged by, and the time of messages without one.</summary>
    public Func<DateTime> Clock { get; init; } = () => DateTime.UtcNow;
}

/// <summary>
/// Processes batches of raw messages for one stream resolver: drops late ones and those a header filter rejects (before any
/// parsing), reads the rest into Arrow columns, computes the features with the compiled plan, skips duplicates, writes the
/// results (online store, offline store, sink) and counts everything. A message that cannot be read or computed becomes an
/// error record; the batch goes on.
/// </summary>
public sealed class StreamProcessor
{
    private static readonly EvaluateOptions s_evaluate = new() { Threads = 1 };
    private readonly StreamResolver _resolver;
    private readonly StreamTargets _targets;
    private readonly MessageColumnsReader _reader;
    private readonly (byte[] Name, byte[] Value)[] _filters;
    private int[] _messageOfRow = new int[4096];

    /// <summary>A processor of <paramref name="resolver"/>'s messages writing to <paramref name="targets"/>.</summary>
    public StreamProcessor(StreamResolver resolver, StreamTargets targets, StreamCounters? counters = null)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _targets = targets ?? throw new ArgumentNullException(nameof(targets));
        if (resolver.Sink is not null && targets.Publisher is null)
            throw new ArgumentException($"Stream resolver '{resolver.Name}' has a sink ({resolver.Sink.Destination}) but no publisher was given.", nameof(targets));
        Counters = counters ?? new StreamCounters();
        _reader = new MessageColumnsReader(resolver);
        _filters = resolver.HeaderFilters.Select(f => (System.Text.Encoding.UTF8.GetBytes(f.Name), System.Text.Encoding.UTF8.GetBytes(f.Value))).ToArray();
    }

    /// <summary>What has been processed so far.</summary>
    public StreamCounters Counters { get; }

    /// <summary>Processes <paramref name="batch"/>; returns once every result is written (so the batch may then be acknowledged).</summary>
    /// <exception cref="OnlineStoreUnavailableException">The online store could not be written: the batch must not be acknowledged.</exception>
    public async Task ProcessAsync(MessageBatch batch, CancellationToken cancellationToken = default)
    {
        var now = _targets.Clock();
        long filtered = 0, skipped = 0, late = 0;
        if (_messageOfRow.Length < batch.Count) _messageOfRow = new int[batch.Count];
        _reader.Begin(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch.Problem(i) is { } unreadable)
            {
                Counters.Error(new StreamError(batch.Position(i), unreadable));
                continue;
            }
            if (_resolver.LateArrivalDeadline is { } deadline && batch.Time(i) is { } time && now - time > deadline)
            {
                late++;
                continue;
            }
            if (!PassesFilters(batch, i))
            {
                filtered++;
                continue;
            }
            var row = _reader.Rows;
            var problem = Read(batch, i, ref skipped);
            if (problem is not null) Counters.Error(new StreamError(batch.Position(i), problem));
            else if (_reader.Rows > row) _messageOfRow[row] = i;
        }

        var written = 0L;
        var duplicates = 0L;
        if (_reader.Rows > 0)
        {
            using var input = _reader.Build();
            using var result = _resolver.Plan.Evaluate(input, s_evaluate);
            var failed = FailedRows(result, batch);
            var rows = new List<int>(input.Length);
            for (var r = 0; r < input.Length; r++)
            {
                if (failed is null || !failed.Contains(r)) rows.Add(r);
            }
            var keys = _resolver.DeduplicationWindow is null ? null : await Deduplicate(result.Output, rows, cancellationToken).ConfigureAwait(false);
            duplicates = input.Length - (failed?.Count ?? 0) - rows.Count;
            await WriteAsync(result.Output, rows, batch, now, cancellationToken).ConfigureAwait(false);
            if (keys is { Count: > 0 } && _targets.Online is { } store)
                await store.SetAsync(keys.Select(k => new FeatureWrite(ResultWriters.DeduplicationKey(_resolver, k), true, now, _resolver.DeduplicationWindow!.Value)).ToList(), cancellationToken).ConfigureAwait(false);
            written = rows.Count;
        }
        Counters.Add(batch.Count, filtered, skipped, duplicates, late, written);
    }

    private bool PassesFilters(MessageBatch batch, int index)
    {
        foreach (var (name, value) in _filters)
        {
            if (!batch.HasHeader(index, name, value)) return false;
        }
        return true;
    }

    /// <summary>Reads message <paramref name="index"/> as the next row; null, or why it is an error. A parse function's null skips it (no row, no error).</summary>
    private string? Read(MessageBatch batch, int index, ref long skipped)
    {
        var data = batch.Data(index);
        if (data.Length > _targets.MaxMessageBytes) return $"the message is {data.Length:N0} bytes; the limit is {_targets.MaxMessageBytes:N0}";
        if (_resolver.ParseFunction is { } parse)
        {
            object? message;
            try
            {
                message = parse(batch.DataMemory(index));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return $"the parse function threw {e.GetType().FullName}: {e.Message}";
            }
            if (message is null)
            {
                skipped++;
                return null;
            }
            return _reader.ReadObject(message);
        }
        return _reader.ReadsJson ? _reader.ReadJson(data) : _reader.ReadWhole(data);
    }

    /// <summary>The rows where a feature threw, each reported as an error record naming the feature (its features are not written); null when none did.</summary>
    private HashSet<int>? FailedRows(FeatureSetResult result, MessageBatch batch)
    {
        HashSet<int>? failed = null;
        foreach (var (feature, errors) in result.Errors)
        {
            foreach (var error in errors)
            {
                if ((failed ??= []).Add(error.Row))
                    Counters.Error(new StreamError(batch.Position(_messageOfRow[error.Row]), $"feature {feature}: {error.ExceptionType}: {error.Message}"));
            }
        }
        return failed;
    }

    /// <summary>Removes from <paramref name="rows"/> those whose key was seen (in the store within the window, or earlier in the batch); returns the keys to remember.</summary>
    private async Task<List<string>> Deduplicate(RecordBatch output, List<int> rows, CancellationToken cancellationToken)
    {
        var column = (StringArray)output.Column(StreamResolver.DeduplicationKey);
        var keys = rows.Select(r => column.GetString(r)).ToList();
        var seen = new bool[rows.Count];
        if (_targets.Online is { } store)
        {
            var lookups = keys.Select((k, i) => (k, i)).Where(x => x.k is not null).ToList();
            var stored = await store.GetAsync(lookups.Select(x => ResultWriters.DeduplicationKey(_resolver, x.k!)).ToList(), cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < lookups.Count; j++) seen[lookups[j].i] = stored[j] is not null;
        }
        var inBatch = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<int>(rows.Count);
        var remember = new List<string>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            if (keys[i] is { } key && (seen[i] || !inBatch.Add(key))) continue;
            kept.Add(rows[i]);
            if (keys[i] is { } fresh) remember.Add(fresh);
        }
        rows.Clear();
        rows.AddRange(kept);
        return remember;
    }

    private async Task WriteAsync(RecordBatch output, List<int> rows, MessageBatch batch, DateTime now, CancellationToken cancellationToken)
    {
        var online = _resolver.SkipOnline ? null : _targets.Online;
        var offline = _resolver.SkipOffline ? null : _targets.Offline;
        if (rows.Count == 0 || (online is null && offline is null && _resolver.Sink is null)) return;
        var times = rows.Select(r => batch.Time(_messageOfRow[r]) ?? now).ToList();
        if (online is not null)
            await online.SetAsync(ResultWriters.Online(_resolver, output, rows, times), cancellationToken).ConfigureAwait(false);
        if (offline is not null)
            await offline.AppendAsync(ResultWriters.Offline(_resolver, output, rows, times, now), cancellationToken).ConfigureAwait(false);
        if (_resolver.Sink is { } sink)
            await _targets.Publisher!.PublishAsync(sink.Destination, SinkEncoder.Encode(_resolver, sink, output, rows), cancellationToken).ConfigureAwait(false);
    }
}
