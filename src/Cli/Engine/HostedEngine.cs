using Dsl.Cli.FeatureSets;
using Dsl.Engine;
using Dsl.Engine.Graph;
using Dsl.Engine.Resolvers;
using Dsl.Engine.Samples;
using Dsl.Engine.Sources;
using Dsl.Engine.Store;

namespace Dsl.Cli.Engine;

/// <summary>
/// The engine <c>dsl query</c> (in process) and <c>dsl serve</c> run, as <see cref="EngineSettings"/> say: the sample shop on embedded
/// DuckDB, or a user's assembly of feature sets with a directory of SQL resolvers over the given sources; with an online store
/// when asked (a Redis server, or embedded Garnet). Owns the sources and the store it opened.
/// </summary>
internal sealed class HostedEngine : IAsyncDisposable
{
    private readonly IReadOnlyList<DataSource> _sources;
    private readonly RedisOnlineStore? _store;

    private HostedEngine(FeatureEngine engine, string what, IReadOnlyList<DataSource> sources, RedisOnlineStore? store)
    {
        Engine = engine;
        _sources = sources;
        _store = store;
        Description = $"{what}, store: {store?.Description ?? "none"}";
    }

    public FeatureEngine Engine { get; }

    /// <summary>What serves the engine, for the first line <c>dsl serve</c> prints.</summary>
    public string Description { get; }

    /// <exception cref="CliException">An option is wrong, or the definitions, resolvers or sources do not fit together.</exception>
    public static async Task<HostedEngine> StartAsync(EngineSettings settings)
    {
        if (settings.Assembly is null && (settings.Resolvers is not null || settings.Sources.Count > 0))
            throw CliException.BadInput("--resolvers and --source apply to a user's engine: give --assembly PATH too");
        if (settings.Assembly is not null && settings.Resolvers is null)
            throw CliException.BadInput("--assembly needs --resolvers DIR: the .sql resolvers that fetch the entities' rows");

        var sources = new List<DataSource>();
        RedisOnlineStore? store = null;
        try
        {
            if (settings.Assembly is null) sources.Add(SampleShop.Source(settings.Users, transactionsPerUser: 50));
            else sources.AddRange(settings.Sources.Select(SourceSpec.Open));
            store = await OpenStoreAsync(settings.Store).ConfigureAwait(false);
            var engine = settings.Assembly is null
                ? await SampleShop.EngineAsync(sources[0], store).ConfigureAwait(false)
                : await UserEngineAsync(settings.Assembly, settings.Resolvers!, sources, store).ConfigureAwait(false);
            var what = settings.Assembly is null ? "sample shop on duckdb (embedded)" : $"{settings.Assembly.Name} with {engine.Graph.Resolvers.Count} resolvers";
            return new HostedEngine(engine, what, sources, store);
        }
        catch
        {
            await DisposeAllAsync(sources, store).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<FeatureEngine> UserEngineAsync(FileInfo assembly, DirectoryInfo resolvers, IReadOnlyList<DataSource> sources, IOnlineStore? store)
    {
        if (!resolvers.Exists) throw CliException.BadInput($"--resolvers '{resolvers.FullName}' is not a directory");
        var loaded = FeatureAssembly.Load(assembly);
        if (loaded.FeatureSets.Count == 0) throw CliException.BadInput($"{assembly.Name} has no public feature set with a parameterless constructor");
        try
        {
            var builder = new FeatureEngineBuilder().AddSqlResolvers(resolvers.FullName);
            foreach (var type in loaded.FeatureSets) builder.AddFeatureSet(FeatureAssembly.Create(type));
            foreach (var source in sources) builder.AddSource(source);
            if (store is not null) builder.UseOnlineStore(store);
            return await builder.BuildAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (FeatureAssembly.Unwrap(e) is EngineDefinitionException or SqlResolverException or FeatureDefinitionException or DataSourceException)
        {
            throw CliException.BadInput(FeatureAssembly.Unwrap(e).Message, e);
        }
    }

    /// <summary><c>none</c> (or empty): no store; <c>garnet</c>: embedded Garnet; else a Redis address (<c>redis://</c> optional).</summary>
    private static async Task<RedisOnlineStore?> OpenStoreAsync(string? store)
    {
        switch (store?.Trim().ToLowerInvariant())
        {
            case null or "" or "none": return null;
            case "garnet": return await RedisOnlineStore.StartEmbeddedAsync().ConfigureAwait(false);
        }
        var address = store.Trim();
        if (address.StartsWith("redis://", StringComparison.OrdinalIgnoreCase)) address = address["redis://".Length..].TrimEnd('/');
        try
        {
            return await RedisOnlineStore.ConnectAsync(address).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or OnlineStoreUnavailableException)
        {
            throw CliException.BadInput($"--store '{store}': {e.Message}", e);
        }
    }

    public ValueTask DisposeAsync() => DisposeAllAsync(_sources, _store);

    private static async ValueTask DisposeAllAsync(IReadOnlyList<DataSource> sources, RedisOnlineStore? store)
    {
        if (store is not null) await store.DisposeAsync().ConfigureAwait(false);
        foreach (var source in sources) await source.DisposeAsync().ConfigureAwait(false);
    }
}
