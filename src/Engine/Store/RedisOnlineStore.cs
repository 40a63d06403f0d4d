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
/// The online store over any Redis-protocol server (Redis, Garnet) through StackExchange.Redis: one shared multiplexed
/// connection; a read of any number of features of any entities is one <c>MGET</c>, a write one pipelined batch of
/// <c>SET … PX</c> (the expiry is the feature's maximum staleness).
/// </summary>
/// <remarks>
/// Commands fail at once while the connection is down (no queueing), as <see cref="OnlineStoreUnavailableException"/>;
/// the multiplexer reconnects by itself in the background, so the store works again when the server is back.
/// An entity key that contains ':' cannot collide with another: entity and feature names never contain one.
/// </remarks>
public sealed class RedisOnlineStore : IOnlineStore
{
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly RedisStoreOptions _options;
    private readonly EmbeddedGarnet? _embedded;
    private int _disposed;

    private RedisOnlineStore(ConnectionMultiplexer connection, RedisStoreOptions options, string description, EmbeddedGarnet? embedded)
    {
        _connection = connection;
        _database = connection.GetDatabase();
        _options = options;
        Description = description;
        _embedded = embedded;
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
        return new RedisOnlineStore(connection, options, $"redis {address}", null);
    }

    /// <summary>
    /// The store the engine uses when no Redis address is configured: a Garnet server started in this process on a
    /// free loopback port (<see cref="EmbeddedGarnet"/>), stopped when the store is disposed.
    /// </summary>
    /// <exception cref="OnlineStoreUnavailableException">Garnet could not start.</exception>
    public static async Task<RedisOnlineStore> StartEmbeddedAsync(RedisStoreOptions? options = null)
    {
        options ??= new RedisStoreOptions();
        var garnet = EmbeddedGarnet.Start();
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(Configuration(garnet.Address, options)).ConfigureAwait(false);
            return new RedisOnlineStore(connection, options, $"garnet (embedded) {garnet.Address}", garnet);
        }
        catch
        {
            garnet.Dispose();
            throw;
        }
    }

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
    public async Task<IReadOnlyList<StoredValue?>> GetAsync(IReadOnlyList<FeatureKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0) return [];
        var names = new RedisKey[keys.Count];
        for (var i = 0; i < keys.Count; i++) names[i] = Key(keys[i]);
        var values = await Guard(() => _database.StringGetAsync(names), cancellationToken).ConfigureAwait(false);
        var result = new StoredValue?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (!values[i].IsNull) result[i] = StoredValueCodec.Decode(((ReadOnlyMemory<byte>)values[i]).Span);
        }
        return result;
    }

    /// <inheritdoc />
    public async Task SetAsync(IReadOnlyList<FeatureWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var stored = writes.Where(w => w.MaxStaleness != TimeSpan.Zero).ToList();
        if (stored.Count == 0) return;
        var encoded = stored.Select(w => StoredValueCodec.Encode(w.Value, w.WrittenAt)).ToList();
        var batch = _database.CreateBatch();
        var sets = new Task<bool>[stored.Count];
        for (var i = 0; i < stored.Count; i++)
        {
            var staleness = stored[i].MaxStaleness;
            if (staleness < TimeSpan.Zero && staleness != Timeout.InfiniteTimeSpan)
                throw new ArgumentException($"The maximum staleness of {stored[i].Key.Entity}.{stored[i].Key.Feature} is negative ({staleness}).", nameof(writes));
            sets[i] = batch.StringSetAsync(Key(stored[i].Key), encoded[i], Expiry(staleness));
        }
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
        staleness == Timeout.InfiniteTimeSpan || staleness > s_longestExpiry ? Expiration.Default
        : new Expiration(staleness < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : staleness);

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

    /// <summary>Closes the connection, then stops the embedded server when there is one; once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _embedded?.Dispose();
    }
}
