using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Runtime;

namespace Dsl.Tests.Relations;

public sealed class RelationFeaturesTests
{
    private static readonly DateTime Now = new(2026, 6, 30, 12, 0, 0, DateTimeKind.Utc);

    private sealed class UserFeatures : FeatureSet<User>
    {
        protected override void Define(FeatureSetBuilder<User> features) => features
            .Define(u => u.TotalSpend, _ => _.Transactions.Sum(t => t.Amount))
            .Resolve(u => u.BigCount, (IReadOnlyList<Transaction> transactions) => transactions.Count(t => t.Amount > 100))
            .Define(u => u.Spend30d, _ => _.Transactions.Where(t => t.At > F.Now - TimeSpan.FromDays(30)).Sum(t => t.Amount))
            .Windowed(u => u.Spend, ["1d", "7d"], _ => _.Transactions.Sum(t => t.Amount));
    }

    [Test]
    public void Graph_FindsTheHasManyRelationByConvention()
    {
        var relation = new UserFeatures().Graph.Relations.Single();
        Assert.That(relation.ToString(), Is.EqualTo("User.Transactions: has many Transaction on Transaction.UserId = User.Id, visible when Transaction.At <= Now"));
    }

    [Test]
    public void Compile_AggregationsAndTheResolverOverRelatedRows_AreCompiled()
    {
        var features = new UserFeatures().Compile();
        Assert.That(features.Verdicts.Select(v => (v.Feature, v.Mode, v.Reason)),
            Is.EqualTo(new[] { "TotalSpend", "BigCount", "Spend30d", "Spend[1d]", "Spend[7d]" }.Select(f => (f, ExecutionMode.Compiled, (string?)null))));
    }

    [Test]
    public void Evaluate_BatchAndOnline_Agree()
    {
        var features = new UserFeatures().Compile();
        var users = new[] { new User { Id = 1 }, new User { Id = 2 }, new User { Id = 3 } };
        var transactions = new List<Transaction>();
        var id = 0L;
        foreach (var (user, day, amount) in new[] { (1L, -0.5, 50.0), (1, -3, 150), (1, -40, 20), (2, -1, 500), (2, 1, 9999), (9, -1, 7), (1, -1, 0.25) })
            transactions.Add(new Transaction { Id = id++, UserId = user, At = Now.AddDays(day), Amount = amount });
        foreach (var user in users) user.Transactions = transactions.Where(t => t.UserId == user.Id).ToList();

        using var parent = new RecordBatch(new Schema([new Field("Id", Int64Type.Default, false)], null),
            [new Int64Array.Builder().AppendRange(users.Select(u => u.Id)).Build()], users.Length);
        using var related = new RecordBatch(new Schema([
                new Field("Id", Int64Type.Default, false), new Field("UserId", Int64Type.Default, false),
                new Field("At", new TimestampType(TimeUnit.Microsecond, "UTC"), false), new Field("Amount", DoubleType.Default, false),
                new Field("Merchant", StringType.Default, false)], null),
            [
                new Int64Array.Builder().AppendRange(transactions.Select(t => t.Id)).Build(),
                new Int64Array.Builder().AppendRange(transactions.Select(t => t.UserId)).Build(),
                new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC")).AppendRange(transactions.Select(t => new DateTimeOffset(t.At))).Build(),
                new DoubleArray.Builder().AppendRange(transactions.Select(t => t.Amount)).Build(),
                new StringArray.Builder().AppendRange(transactions.Select(t => t.Merchant)).Build(),
            ], transactions.Count);

        using var result = features.Evaluate(parent, new EvaluateOptions { Now = Now, Related = new Dictionary<string, RecordBatch> { ["Transactions"] = related } });

        Assert.That(result.Errors.Values.Sum(e => e.Count), Is.Zero);
        for (var row = 0; row < users.Length; row++)
        {
            var online = features.Evaluate(users[row], Now);
            foreach (var feature in new[] { "TotalSpend", "BigCount", "Spend30d", "Spend[1d]", "Spend[7d]" })
            {
                var column = result.Output.Column(feature);
                object? batchValue = column switch { DoubleArray d => d.GetValue(row), Int32Array i => i.GetValue(row), _ => null };
                Assert.That(batchValue, Is.EqualTo(online[feature]), $"{feature}, user {users[row].Id}");
            }
        }

        // User 1 sees 50 + 150 + 20 + 0.25; in the last day only 50: the 0.25 is exactly at Now − 1d, outside (Now − 1d, Now].
        Assert.That(((DoubleArray)result.Output.Column("TotalSpend")).GetValue(0), Is.EqualTo(220.25));
        Assert.That(((DoubleArray)result.Output.Column("Spend[1d]")).GetValue(0), Is.EqualTo(50.0));
        Assert.That(((DoubleArray)result.Output.Column("Spend[7d]")).GetValue(0), Is.EqualTo(200.25));
        Assert.That(((DoubleArray)result.Output.Column("TotalSpend")).GetValue(1), Is.EqualTo(500.0), "the transaction after Now is invisible");
    }
}
