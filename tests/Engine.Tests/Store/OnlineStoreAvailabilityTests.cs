using System.Diagnostics;
using Dsl.Engine.Store;
using Dsl.TestSupport.Servers;

namespace Dsl.Engine.Tests.Store;

/// <summary>A store whose server goes down fails fast with a typed error, and works again once the server is back.</summary>
public sealed class OnlineStoreAvailabilityTests
{
    private static readonly FeatureKey s_key = FeatureKey.For("User", 1L, "TotalSpend");

    [Test]
    public async Task Redis_StoppedMidRun_ThrowsUnavailableThenRecovers()
    {
        using var redis = RedisServer.Start();
        await using var store = await RedisOnlineStore.ConnectAsync(redis.Address);
        await store.SetAsync([new FeatureWrite(s_key, 1.0, DateTime.UtcNow, TimeSpan.FromMinutes(5))]);

        redis.Stop();
        var watch = Stopwatch.StartNew();
        var read = Assert.ThrowsAsync<OnlineStoreUnavailableException>(() => store.GetAsync([s_key]));
        var write = Assert.ThrowsAsync<OnlineStoreUnavailableException>(() => store.SetAsync([new FeatureWrite(s_key, 2.0, DateTime.UtcNow, TimeSpan.FromMinutes(5))]));

        Assert.That(read!.Message, Does.StartWith($"Online store redis {redis.Address}: unavailable"));
        Assert.That(read.Store, Is.EqualTo($"redis {redis.Address}"));
        Assert.That(write, Is.Not.Null);
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "a down store fails fast");

        redis.Resume();
        // The multiplexer reconnects in the background; the restarted server kept nothing (no persistence).
        var back = LocalPorts.WaitUntil(() =>
        {
            try
            {
                store.SetAsync([new FeatureWrite(s_key, 3.0, DateTime.UtcNow, TimeSpan.FromMinutes(5))]).GetAwaiter().GetResult();
                return true;
            }
            catch (OnlineStoreUnavailableException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30));
        Assert.That(back, "the store works again once the server is back");
        Assert.That((await store.GetAsync([s_key]))[0]?.Value, Is.EqualTo(3.0));
    }

    [Test]
    public async Task Connect_NothingListening_ConnectsLazilyAndThrowsUnavailable()
    {
        var address = $"127.0.0.1:{LocalPorts.Free()}";
        await using var store = await RedisOnlineStore.ConnectAsync(address);

        var error = Assert.ThrowsAsync<OnlineStoreUnavailableException>(() => store.GetAsync([s_key]));

        Assert.That(error!.Store, Is.EqualTo($"redis {address}"));
    }

    [Test]
    public async Task Embedded_DisposedTwice_StopsGarnetOnce()
    {
        var store = await RedisOnlineStore.StartEmbeddedAsync();
        Assert.That(store.Description, Does.StartWith("garnet (embedded) 127.0.0.1:"));
        await store.SetAsync([new FeatureWrite(s_key, 1.0, DateTime.UtcNow, TimeSpan.FromMinutes(5))]);

        await store.DisposeAsync();
        await store.DisposeAsync();

        var port = int.Parse(store.Description.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(LocalPorts.WaitUntil(() => !LocalPorts.Accepts(port), TimeSpan.FromSeconds(10)), "Garnet no longer listens");
    }
}
