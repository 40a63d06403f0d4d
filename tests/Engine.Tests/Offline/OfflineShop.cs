using Apache.Arrow;
using Dsl.Engine.Offline;
using Dsl.Engine.Resolvers;
using Dsl.Engine.Values;

namespace Dsl.Engine.Tests.Offline;

// Inside the namespace, so the sample's User and Transaction win over the test entities of the same names.
using Dsl.Engine.Samples;

/// <summary>The sample shop over generated users and transactions in memory, with an offline store in a temporary directory.</summary>
internal sealed class OfflineShop : IAsyncDisposable
{
    public static readonly DateTime Base = new(2026, 6, 30, 12, 0, 0, DateTimeKind.Utc);

    public static readonly string[] Outputs = ["user.total_spend", "user.large_count", "user.spend30d", "user.largest_amount", "user.label"];

    private OfflineShop(string directory, ParquetOfflineStore store, User[] users, Transaction[] transactions)
    {
        Directory = directory;
        Store = store;
        Users = users;
        Transactions = transactions;
    }

    public string Directory { get; }

    public ParquetOfflineStore Store { get; }

    public User[] Users { get; }

    public Transaction[] Transactions { get; }

    public static OfflineShop Create(User[] users, Transaction[] transactions)
    {
        var directory = Path.Combine(Path.GetTempPath(), "dsl-offline-" + Guid.NewGuid().ToString("N"));
        return new OfflineShop(directory, ParquetOfflineStore.Open(directory), users, transactions);
    }

    /// <summary>An engine over the shop's rows; with the offline store when <paramref name="offline"/>.</summary>
    public FeatureEngine Engine(bool offline)
    {
        var builder = new FeatureEngineBuilder().AddFeatureSet(new UserFeatures()).AddFeatureSet(new TransactionFeatures())
            .AddResolver(CSharpResolver.Create<long, User>("user_by_id", "user.id", ["Id", "Name", "Country"], (id, _) => Task.FromResult(Users.Where(u => u.Id == id))))
            .AddResolver(CSharpResolver.Create<long, Transaction>("transactions_by_user", "user.id", ["Id", "UserId", "At", "Amount"],
                (id, _) => Task.FromResult(Transactions.Where(t => t.UserId == id))));
        if (offline) builder.UseOfflineStore(Store);
        return builder.Build();
    }

    /// <summary>A spine of (user_id, ts) rows.</summary>
    public static RecordBatch Spine(IReadOnlyList<(long User, DateTime Time)> rows) => ArrowColumns.Batch(
    [
        ("user_id", typeof(long), rows.Select(r => (object?)r.User).ToList()),
        ("ts", typeof(DateTime), rows.Select(r => (object?)r.Time).ToList()),
    ], rows.Count);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
