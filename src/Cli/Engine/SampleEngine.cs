using Dsl.Engine;
using Dsl.Engine.Samples;
using Dsl.Engine.Sources;
using Dsl.Engine.Store;

namespace Dsl.Cli.Engine;

/// <summary>
/// The engine <c>dsl query</c> and <c>dsl serve</c> run in process: the sample shop on embedded DuckDB, with an online store when
/// asked (a Redis address, or embedded Garnet). Owns what it started.
/// </summary>
internal sealed class SampleEngine : IAsyncDisposable
{
    private readonly DuckDbSource _source;
    private readonly RedisOnlineStore? _store;

    private SampleEngine(FeatureEngine engine, DuckDbSource source, RedisOnlineStore? store)
    {
        Engine = engine;
        _source = source;
        _store = store;
    }

    public FeatureEngine Engine { get; }

    /// <summary>What serves the engine, for the first line <c>dsl serve</c> prints.</summary>
    public string Description => $"sample shop on duckdb (embedded), store: {_store?.Description ?? "none"}";

    /// <param name="users">How many users the sample data has (50 transactions each).</param>
    /// <param name="store">Whether to use an online store.</param>
    /// <param name="redis">The Redis address; embedded Garnet when null.</param>
    public static async Task<SampleEngine> StartAsync(int users, bool store, string? redis)
    {
        var source = SampleShop.Source(users, transactionsPerUser: 50);
        RedisOnlineStore? online = null;
        try
        {
            if (store) online = await RedisOnlineStore.OpenAsync(redis).ConfigureAwait(false);
            return new SampleEngine(await SampleShop.EngineAsync(source, online).ConfigureAwait(false), source, online);
        }
        catch
        {
            if (online is not null) await online.DisposeAsync().ConfigureAwait(false);
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync().ConfigureAwait(false);
        await _source.DisposeAsync().ConfigureAwait(false);
    }
}
