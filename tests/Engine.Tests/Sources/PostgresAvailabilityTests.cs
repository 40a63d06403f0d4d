using Dsl.Engine.Resolvers;
using Dsl.Engine.Sources;
using Dsl.TestSupport.Servers;
using Npgsql;

namespace Dsl.Engine.Tests.Sources;

/// <summary>
/// PostgreSQL stopped in the middle of a run of lookups (a server of this test's own): lookups fail with
/// <see cref="DataSourceErrorKind.Unavailable"/> naming the source, nothing else breaks, and they succeed again once the
/// server is back, although the pool held connections to the old server.
/// </summary>
public sealed class PostgresAvailabilityTests
{
    [Test]
    public async Task Lookups_ServerStoppedThenResumed_FailNamingSourceThenRecover()
    {
        using var server = PostgresServer.Start();
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("CREATE TABLE users (id bigint PRIMARY KEY, full_name text); INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 100) g", connection);
            await command.ExecuteNonQueryAsync();
        }
        await using var source = new PostgresSource("accounts", server.ConnectionString);
        var resolver = SqlResolver.Parse("-- resolves: User\n-- source: accounts\nSELECT id, full_name FROM users WHERE id = ${user.id}", "users.sql")
            .Bind(TestEntities.All, [source]);

        async Task<long> Lookup(params object?[] keys) => (await resolver.LookupAsync(keys)).RowCount;

        // Warm the pool with several connections, so the restart leaves several stale ones behind.
        Assert.That(await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Lookup((long)i, (long)i + 1))), Is.All.EqualTo(2));

        server.Stop();
        for (var i = 0; i < 3; i++)
        {
            var error = Assert.ThrowsAsync<DataSourceException>(() => Lookup(1L));
            Assert.That(error!.ErrorKind, Is.EqualTo(DataSourceErrorKind.Unavailable), error.Message);
            Assert.That(error.SourceName, Is.EqualTo("accounts"));
            Assert.That(error.Message, Does.StartWith($"Data source 'accounts': the PostgreSQL server at 127.0.0.1:{server.Port}"));
        }

        server.Resume();
        Assert.That(await Lookup(5L), Is.EqualTo(1), "the first lookup after the restart succeeds");
        Assert.That(await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Lookup((long)i, 200L))), Is.All.EqualTo(1));
    }
}
