using Dsl.Engine.Store;
using StackExchange.Redis;

namespace Dsl.Engine.Tests.Store;

/// <summary>
/// The embedded store runs its commands on in-process sessions with Garnet; these hold that path against the same server
/// reached over its loopback port, under concurrency, with replies larger than a session's buffer, and after disposal.
/// </summary>
public sealed class EmbeddedGarnetSessionTests
{
    private static readonly DateTime s_now = new(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
    private RedisOnlineStore _store = null!;
    private ConnectionMultiplexer _overPort = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _store = await RedisOnlineStore.StartEmbeddedAsync();
        _overPort = await ConnectionMultiplexer.ConnectAsync(_store.Description["garnet (embedded) ".Length..]);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _overPort.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Test]
    public async Task InProcessWrites_AreWhatTheServerHoldsForAnyClient_AndTheOtherWayRound()
    {
        var key = FeatureKey.For("User", "é ü 🙂", "Name");
        await _store.SetAsync([new FeatureWrite(key, "Zoë", s_now, TimeSpan.FromMinutes(5))]);

        var overPort = await _overPort.GetDatabase().StringGetAsync("dsl:User:é ü 🙂:Name");
        var ttl = await _overPort.GetDatabase().KeyTimeToLiveAsync("dsl:User:é ü 🙂:Name");
        Assert.That(StoredValueCodec.Decode(((ReadOnlyMemory<byte>)overPort).Span), Is.EqualTo(new StoredValue("Zoë", s_now)));
        Assert.That(ttl, Is.GreaterThan(TimeSpan.FromMinutes(4)).And.LessThanOrEqualTo(TimeSpan.FromMinutes(5)), "written with PX");

        await _overPort.GetDatabase().StringSetAsync("dsl:User:7:Score", StoredValueCodec.Encode(0.25, s_now));
        Assert.That((await _store.GetAsync([FeatureKey.For("User", 7L, "Score")]))[0], Is.EqualTo(new StoredValue(0.25, s_now)));
    }

    [Test]
    public async Task Set_InfiniteStaleness_ClearsAnEarlierExpiry()
    {
        var key = FeatureKey.For("User", 8L, "Kept");
        await _store.SetAsync([new FeatureWrite(key, 1L, s_now, TimeSpan.FromMinutes(1))]);
        await _store.SetAsync([new FeatureWrite(key, 2L, s_now, Timeout.InfiniteTimeSpan)]);

        Assert.That(await _overPort.GetDatabase().KeyTimeToLiveAsync("dsl:User:8:Kept"), Is.Null);
        Assert.That((await _store.GetAsync([key]))[0]?.Value, Is.EqualTo(2L));
    }

    [Test]
    public async Task ManyCallersAtOnce_EachReadWhatTheyWrote()
    {
        var callers = Enumerable.Range(0, 16).Select(caller => Task.Run(async () =>
        {
            for (var round = 0; round < 200; round++)
            {
                var keys = Enumerable.Range(0, 5).Select(f => FeatureKey.For("Caller", caller, $"F{f}")).ToList();
                await _store.SetAsync(keys.Select((k, f) => new FeatureWrite(k, (long)(caller * 1_000_000 + round * 10 + f), s_now, TimeSpan.FromMinutes(1))).ToList());
                var read = await _store.GetAsync(keys);
                for (var f = 0; f < 5; f++)
                {
                    if (!Equals(read[f]?.Value, (long)(caller * 1_000_000 + round * 10 + f)))
                        return $"caller {caller} round {round} feature {f} read {read[f]?.Value ?? "nothing"}";
                }
            }
            return null;
        })).ToList();

        Assert.That((await Task.WhenAll(callers)).Where(e => e is not null), Is.Empty);
    }

    [Test]
    public async Task RepliesLargerThanASessionBuffer_ArriveWhole()
    {
        // 3,000 values of 4,000 characters: a 12 MB MGET reply, written by Garnet in many sends.
        var keys = Enumerable.Range(0, 3_000).Select(i => FeatureKey.For("Big", i, "Text")).ToList();
        await _store.SetAsync(keys.Select((k, i) => new FeatureWrite(k, new string((char)('a' + i % 26), 4_000) + i, s_now, TimeSpan.FromMinutes(1))).ToList());

        var read = await _store.GetAsync([.. keys, FeatureKey.For("Big", "none", "Text")]);

        Assert.That(read.Take(3_000).Select(v => v?.Value), Is.EqualTo(Enumerable.Range(0, 3_000).Select(i => new string((char)('a' + i % 26), 4_000) + i)));
        Assert.That(read[^1], Is.Null);
    }

    [Test]
    public async Task AfterDisposal_CallsSayTheStoreIsUnavailable()
    {
        var store = await RedisOnlineStore.StartEmbeddedAsync();
        await store.SetAsync([new FeatureWrite(FeatureKey.For("User", 1L, "X"), 1.0, s_now, TimeSpan.FromMinutes(1))]);
        await store.DisposeAsync();

        var read = Assert.ThrowsAsync<OnlineStoreUnavailableException>(() => store.GetAsync([FeatureKey.For("User", 1L, "X")]));
        var write = Assert.ThrowsAsync<OnlineStoreUnavailableException>(() => store.SetAsync([new FeatureWrite(FeatureKey.For("User", 1L, "X"), 1.0, s_now, TimeSpan.FromMinutes(1))]));

        Assert.That(read!.Message, Does.Contain("closed"));
        Assert.That(write!.Store, Is.EqualTo(store.Description));
    }
}
