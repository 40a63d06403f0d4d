using Dsl.Engine.Store;
using Dsl.TestSupport.Servers;

namespace Dsl.Engine.Tests.Store;

/// <summary>The same store contract against a real redis-server and against the embedded Garnet.</summary>
[TestFixture("redis")]
[TestFixture("garnet")]
public sealed class RedisOnlineStoreTests(string server)
{
    private static readonly DateTime s_now = new(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
    private RedisOnlineStore _store = null!;

    [OneTimeSetUp]
    public async Task Connect() => _store = server == "redis"
        ? await RedisOnlineStore.ConnectAsync(TestServers.Redis.Address, new RedisStoreOptions { KeyPrefix = $"t{Guid.NewGuid():N}:" })
        : await RedisOnlineStore.StartEmbeddedAsync();

    [OneTimeTearDown]
    public async Task Disconnect() => await _store.DisposeAsync();

    private static FeatureKey Key(object id, string feature) => FeatureKey.For("User", id, feature);

    [Test]
    public async Task SetThenGet_ManyFeaturesOfManyEntities_RoundTripsValuesTypesAndTimes()
    {
        var writes = new List<FeatureWrite>
        {
            new(Key(1L, "TotalSpend"), 12.5, s_now, TimeSpan.FromMinutes(5)),
            new(Key(1L, "Name"), "Ann", s_now.AddSeconds(-3), TimeSpan.FromMinutes(5)),
            new(Key(1L, "Email"), null, s_now, Timeout.InfiniteTimeSpan),
            new(Key(2L, "TotalSpend"), -0.0, s_now, TimeSpan.FromMinutes(5)),
            new(Key(2L, "Active"), false, s_now, TimeSpan.FromMinutes(5)),
            new(Key("a:b", "Count"), long.MaxValue, s_now, TimeSpan.FromMinutes(5)),
        };
        await _store.SetAsync(writes);

        var read = await _store.GetAsync([Key(1L, "TotalSpend"), Key(1L, "Name"), Key(1L, "Email"), Key(1L, "Missing"), Key(2L, "TotalSpend"), Key(2L, "Active"), Key("a:b", "Count"), Key(3L, "TotalSpend")]);

        Assert.That(read.Select(v => v?.Value), Is.EqualTo(new object?[] { 12.5, "Ann", null, null, -0.0, false, long.MaxValue, null }));
        Assert.That(read[2], Is.Not.Null, "a stored null is a value, not a miss");
        Assert.That(read[3], Is.Null);
        Assert.That(read[7], Is.Null);
        Assert.That(read[1]!.WrittenAt, Is.EqualTo(s_now.AddSeconds(-3)));
        Assert.That(read[1]!.AgeAt(s_now), Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(double.IsNegative((double)read[4]!.Value!));
    }

    [Test]
    public async Task Set_ZeroStaleness_IsNotStored()
    {
        await _store.SetAsync([new FeatureWrite(Key(10L, "Fresh"), 1.0, s_now, TimeSpan.Zero)]);

        Assert.That((await _store.GetAsync([Key(10L, "Fresh")]))[0], Is.Null);
    }

    [Test]
    public async Task Set_ShortStaleness_ExpiresAfterIt()
    {
        await _store.SetAsync([new FeatureWrite(Key(11L, "Short"), 1.0, s_now, TimeSpan.FromMilliseconds(300)), new FeatureWrite(Key(11L, "Long"), 2.0, s_now, TimeSpan.FromMinutes(1))]);
        Assert.That((await _store.GetAsync([Key(11L, "Short")]))[0]?.Value, Is.EqualTo(1.0));

        var expired = LocalPorts.WaitUntil(() => _store.GetAsync([Key(11L, "Short")]).GetAwaiter().GetResult()[0] is null, TimeSpan.FromSeconds(10));

        Assert.That(expired, "the value expired after its staleness");
        Assert.That((await _store.GetAsync([Key(11L, "Long")]))[0]?.Value, Is.EqualTo(2.0));
    }

    [Test]
    public async Task Set_Overwrite_ReplacesValueAndTime()
    {
        await _store.SetAsync([new FeatureWrite(Key(12L, "X"), 1L, s_now, TimeSpan.FromMinutes(1))]);
        await _store.SetAsync([new FeatureWrite(Key(12L, "X"), "two", s_now.AddMinutes(1), Timeout.InfiniteTimeSpan)]);

        var read = (await _store.GetAsync([Key(12L, "X")]))[0]!;

        Assert.That((read.Value, read.WrittenAt), Is.EqualTo(("two", s_now.AddMinutes(1))));
    }

    [Test]
    public async Task Set_InfiniteAfterShortStaleness_ClearsTheExpiry()
    {
        await _store.SetAsync([new FeatureWrite(Key(14L, "X"), 1L, s_now, TimeSpan.FromMilliseconds(300))]);
        await _store.SetAsync([new FeatureWrite(Key(14L, "X"), 2L, s_now, Timeout.InfiniteTimeSpan), new FeatureWrite(Key(14L, "Y"), 3L, s_now, Timeout.InfiniteTimeSpan)]);
        await Task.Delay(600);

        var read = await _store.GetAsync([Key(14L, "X"), Key(14L, "Y")]);

        Assert.That(read.Select(v => v?.Value), Is.EqualTo(new object?[] { 2L, 3L }), "a value kept until overwritten does not inherit the earlier expiry");
    }

    [Test]
    public async Task Set_ManyValues_MixedStaleness_KeepsOrderAndTheLastWriteOfAKey()
    {
        var writes = Enumerable.Range(0, 3000).Select(i => new FeatureWrite(Key((long)(i % 2500), "M"), (long)i, s_now, i % 3 == 0 ? TimeSpan.FromMinutes(1) : Timeout.InfiniteTimeSpan)).ToList();
        await _store.SetAsync(writes);

        var read = await _store.GetAsync(Enumerable.Range(0, 2500).Select(i => Key((long)i, "M")).ToList());

        Assert.That(read.Select(v => v?.Value), Is.EqualTo(Enumerable.Range(0, 2500).Select(i => (object)(long)(i < 500 ? i + 2500 : i))));
    }

    [Test]
    public async Task GetAndSet_Empty_DoNothing()
    {
        Assert.That(await _store.GetAsync([]), Is.Empty);
        await _store.SetAsync([]);
    }

    [Test]
    public void Set_NegativeStaleness_IsRejected()
    {
        Assert.ThrowsAsync<ArgumentException>(() => _store.SetAsync([new FeatureWrite(Key(13L, "X"), 1L, s_now, TimeSpan.FromSeconds(-1))]));
    }

    [Test]
    public async Task Get_ConcurrentCallers_EachGetTheirOwnValues()
    {
        await _store.SetAsync(Enumerable.Range(0, 200).Select(i => new FeatureWrite(Key((long)i, "N"), (long)i, s_now, TimeSpan.FromMinutes(1))).ToList());

        var reads = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i => (await _store.GetAsync([Key((long)i, "N")]))[0]!.Value));

        Assert.That(reads, Is.EqualTo(Enumerable.Range(0, 200).Select(i => (object)(long)i)));
    }
}
