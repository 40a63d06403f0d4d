using StackExchange.Redis;

namespace Dsl.Engine.Store;

/// <summary>Settings of a <see cref="RedisOnlineStore"/>.</summary>
public sealed record RedisStoreOptions
{
    /// <summary>The prefix of every key, so several engines can share one server: keys are <c>{prefix}{entity}:{key}:{feature}</c>.</summary>
    public string KeyPrefix { get; init; } = "dsl:";

    /// <summary>How long a call may wait for the server before the store counts as unavailable.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The online store over any Redis-protocol server (Redis, Garnet): a read of any number of features of any entities is
/// one <c>MGET</c>, a write one pipelined batch of <c>SET … PX</c> (the expiry is the feature's maximum staleness).
/// A server elsewhere is reached through StackExchange.Redis (one shared multiplexed connection); the embedded Garnet
/// through in-process sessions, the same commands without a socket (<see cref="StartEmbeddedAsync"/>).
/// </summary>
/// <remarks>
/// Commands fail at once while the connection is down (no queueing), as <see cref="OnlineStoreUnavailableException"/>;
/// the multiplexer reconnects by itself in the background, so the store works again when the server is back.
/// An entity key that contains ':' cannot collide with another: entity and feature names never contain one.
/// </remarks>
public sealed partial class RedisOnlineStore : IOnlineStore
{
    // Exactly one of the two: a connection to a server elsewhere, or the Garnet server this store started.
    private readonly ConnectionMultiplexer? _connection;
    private readonly IDatabase? _database;
    private readonly EmbeddedGarnet? _embedded;
    private readonly RedisStoreOptions _options;
    private int _disposed;

    private RedisOnlineStore(ConnectionMultiplexer connection, RedisStoreOptions options, string description)
    {
        _connection = connection;
        _database = connection.GetDatabase();
        _options = options;
        Description = description;
    }

    private RedisOnlineStore(EmbeddedGarnet embedded, RedisStoreOptions options)
    {
        _embedded = embedded;
        _options = options;
        Description = $"garnet (embedded) {embedded.Address}";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>
    /// Connects to the Redis server at <paramref name="address"/> (<c>host:port</c>, or any StackExchange.Redis
    /// configuration string). A server that is down is not an error here: calls fail until it is up.
    /// </summary>
    public static async Task<RedisOnlineStore> ConnectAsync(string address, RedisStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        options ??= new RedisStoreOptions();
        var connection = await ConnectionMultiplexer.ConnectAsync(Configuration(address, options)).ConfigureAwait(false);
        return new RedisOnlineStore(connection, options, $"redis {address}");
    }

    /// <summary>
    /// The store the engine uses when no Redis address is configured: a Garnet server started in this process on a
    /// free loopback port (<see cref="EmbeddedGarnet"/>), stopped when the store is disposed. The store itself runs its
    /// commands on in-process sessions with that server (no socket); other processes reach the same data on the port.
    /// </summary>
    /// <exception cref="OnlineStoreUnavailableException">Garnet could not start.</exception>
    public static Task<RedisOnlineStore> StartEmbeddedAsync(RedisStoreOptions? options = null) =>
        Task.FromResult(new RedisOnlineStore(EmbeddedGarnet.Start(), options ?? new RedisStoreOptions()));

    /// <summary><see cref="ConnectAsync"/> when <paramref name="address"/> is given, else <see cref="StartEmbeddedAsync"/>.</summary>
    public static Task<RedisOnlineStore> OpenAsync(string? address, RedisStoreOptions? options = null) =>
        string.IsNullOrWhiteSpace(address) ? StartEmbeddedAsync(options) : ConnectAsync(address, options);

    private static ConfigurationOptions Configuration(string address, RedisStoreOptions options)
    {
        var configuration = ConfigurationOptions.Parse(address);
        var milliseconds = (int)Math.Clamp(options.Timeout.TotalMilliseconds, 1, int.MaxValue);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = milliseconds;
        configuration.SyncTimeout = milliseconds;
        configuration.AsyncTimeout = milliseconds;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        return configuration;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredValue?>> GetAsync(IReadOnlyList<FeatureKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0) return Task.FromResult<IReadOnlyList<StoredValue?>>([]);
        return _embedded is { } garnet ? InProcess(() => GetInProcess(garnet, keys), cancellationToken) : GetOverConnectionAsync(keys, cancellationToken);
    }

    private async Task<IReadOnlyList<StoredValue?>> GetOverConnectionAsync(IReadOnlyList<FeatureKey> keys, CancellationToken cancellationToken)
    {
        var names = new RedisKey[keys.Count];
        for (var i = 0; i < keys.Count; i++) names[i] = Key(keys[i]);
        var values = await Guard(() => _database!.StringGetAsync(names), cancellationToken).ConfigureAwait(false);
        var result = new StoredValue?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (!values[i].IsNull) result[i] = StoredValueCodec.Decode(((ReadOnlyMemory<byte>)values[i]).Span);
        }
        return result;
    }

    /// <inheritdoc />
    public Task SetAsync(IReadOnlyList<FeatureWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        List<FeatureWrite> stored;
        try
        {
            stored = Stored(writes);
        }
        catch (ArgumentException e)
        {
            return Task.FromException(e);
        }
        if (stored.Count == 0) return Task.CompletedTask;
        return _embedded is { } garnet
            ? InProcess(() => { SetInProcess(garnet, stored); return true; }, cancellationToken)
            : SetOverConnectionAsync(stored, cancellationToken);
    }

    /// <summary>The writes that are stored (a zero staleness is not), after checking that none has a negative one.</summary>
    private static List<FeatureWrite> Stored(IReadOnlyList<FeatureWrite> writes)
    {
        var stored = new List<FeatureWrite>(writes.Count);
        foreach (var write in writes)
        {
            var staleness = write.MaxStaleness;
            if (staleness == TimeSpan.Zero) continue;
            if (staleness < TimeSpan.Zero && staleness != Timeout.InfiniteTimeSpan)
                throw new ArgumentException($"The maximum staleness of {write.Key.Entity}.{write.Key.Feature} is negative ({staleness}).", nameof(writes));
            stored.Add(write);
        }
        return stored;
    }

    private async Task SetOverConnectionAsync(List<FeatureWrite> stored, CancellationToken cancellationToken)
    {
        var encoded = stored.Select(w => StoredValueCodec.Encode(w.Value, w.WrittenAt)).ToList();
        var batch = _database!.CreateBatch();
        var sets = new Task<bool>[stored.Count];
        for (var i = 0; i < stored.Count; i++)
            sets[i] = batch.StringSetAsync(Key(stored[i].Key), encoded[i], Expiry(stored[i].MaxStaleness));
        await Guard(() =>
        {
            batch.Execute();
            return Task.WhenAll(sets);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The expiry of a value that may be served for <paramref name="staleness"/>: none when infinite (a SET without one
    /// also clears any the key had) or beyond what the server's millisecond counter holds; at least a millisecond.
    /// </summary>
    private static Expiration Expiry(TimeSpan staleness) =>
        ExpiryMilliseconds(staleness) is { } milliseconds ? new Expiration(TimeSpan.FromMilliseconds(milliseconds)) : Expiration.Default;

    /// <summary><see cref="Expiry"/> in milliseconds, or null for none.</summary>
    private static long? ExpiryMilliseconds(TimeSpan staleness) =>
        staleness == Timeout.InfiniteTimeSpan || staleness > s_longestExpiry ? null
        : Math.Max(1, (long)staleness.TotalMilliseconds);

    private static readonly TimeSpan s_longestExpiry = TimeSpan.FromDays(365 * 100);

    private RedisKey Key(FeatureKey key) => $"{_options.KeyPrefix}{key.Entity}:{key.EntityKey}:{key.Feature}";

    /// <summary>Runs a call (which may fail as it starts, when the connection is down) as <see cref="OnlineStoreUnavailableException"/> when the server is out of reach.</summary>
    private async Task<T> Guard<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new OnlineStoreUnavailableException(Description, $"unavailable: {e.Message}", e);
        }
    }

    // A server still loading its data or without a primary answers with an error, but it is as good as down.
    private static bool IsUnavailable(Exception e) =>
        e is RedisConnectionException or RedisTimeoutException or TimeoutException or ObjectDisposedException
        || (e is RedisServerException && (e.Message.StartsWith("LOADING", StringComparison.Ordinal) || e.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)));

    /// <summary>Closes the connection, or stops the embedded server; once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_connection is not null)
        {
            await _connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        _embedded?.Dispose();
    }
}
