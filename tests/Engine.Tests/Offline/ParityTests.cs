using Dsl.Engine.Values;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Engine.Tests.Offline;

using Dsl.Engine.Samples;

/// <summary>
/// The parity property: for generated users, transactions (nulls aside, amounts with NaN, ±Inf, ±0 and extremes; times on the
/// 30-day window's edges and just after the query time) and query times T, an online query at now = T and an offline query whose
/// spine row is (user, T) give the same values bit for bit — recomputed offline, and read back from the offline store after the
/// online queries wrote them.
/// </summary>
public sealed class ParityTests
{
    private static readonly double[] Amounts = [0.0, -0.0, 1.5, 100, 100.000001, 1e308, -1e308, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, 12345.678];

    private static readonly TimeSpan[] Offsets =
    [
        TimeSpan.Zero, TimeSpan.FromTicks(10), TimeSpan.FromTicks(-10), TimeSpan.FromDays(-30), TimeSpan.FromDays(-30) + TimeSpan.FromTicks(10),
        TimeSpan.FromDays(-30) - TimeSpan.FromTicks(10), TimeSpan.FromDays(-1), TimeSpan.FromDays(-45), TimeSpan.FromDays(2), TimeSpan.FromHours(-5),
    ];

    private static readonly string[] Names = ["Ada", "", "Zoë", "名前", "x y"];

    [Test]
    public async Task Online_and_offline_queries_agree_bit_for_bit([Range(0, 24)] int seed)
    {
        var random = new Random(seed);
        var users = Enumerable.Range(1, 4).Select(i => new User { Id = i, Name = Names[random.Next(Names.Length)], Country = random.Next(2) == 0 ? "SE" : "" }).ToArray();
        var transactions = Gen.Sample(Gen.Choose(0, 3).SelectMany(u => Gen.Elements(Amounts).SelectMany(a => Gen.Elements(Offsets).Select(o => (u, a, o)))).ArrayOf(random.Next(0, 14)),
            1, new Rnd((ulong)seed + 7), 1)[0].Select((t, i) => new Transaction { Id = i, UserId = t.u + 1, Amount = t.a, At = OfflineShop.Base + t.o }).ToArray();
        var spine = Enumerable.Range(0, 10).Select(_ => ((long)random.Next(1, 6), OfflineShop.Base + Offsets[random.Next(Offsets.Length)] + TimeSpan.FromDays(random.Next(0, 3)))).ToList();

        await using var shop = OfflineShop.Create(users, transactions);
        var online = new List<IReadOnlyDictionary<string, object?>>();
        var writer = shop.Engine(offline: true);
        foreach (var (user, time) in spine)
            online.Add((await writer.QueryAsync(new Dictionary<string, object?> { ["user.id"] = user }, OfflineShop.Outputs, new QueryOptions { Now = time })).Values);

        var recomputed = await shop.Engine(offline: false).OfflineQueryAsync(OfflineShop.Spine(spine), OfflineShop.Outputs);
        var stored = await writer.OfflineQueryAsync(OfflineShop.Spine(spine), OfflineShop.Outputs);
        Assert.That(recomputed.Features.All(f => f.Recomputed) && stored.Features.All(f => !f.Recomputed), Is.True);
        for (var row = 0; row < spine.Count; row++)
        {
            foreach (var (feature, value) in online[row])
            {
                Assert.That(Bits(ArrowCells.Read(recomputed.Batch.Column(feature), row)), Is.EqualTo(Bits(value)), $"recomputed {feature}, spine row {row} {spine[row]}");
                Assert.That(Bits(ArrowCells.Read(stored.Batch.Column(feature), row)), Is.EqualTo(Bits(value)), $"stored {feature}, spine row {row} {spine[row]}");
            }
        }
    }

    /// <summary>A value as something whose equality is bitwise: doubles by their bits (NaN, -0), everything else as itself.</summary>
    private static object? Bits(object? value) => value is double d ? BitConverter.DoubleToInt64Bits(d) : value;
}
