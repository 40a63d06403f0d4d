using Dsl.TestSupport.Servers;

namespace Dsl.Engine.Tests;

/// <summary>
/// The servers the tests share, started on first use (so a filtered run starts only what it needs) and stopped by pid
/// when the assembly's tests end. Tests that stop a server mid-run start their own instead.
/// </summary>
[SetUpFixture]
public sealed class TestServers
{
    private static readonly Lazy<PostgresServer> s_postgres = new(PostgresServer.Start);
    private static readonly Lazy<RedisServer> s_redis = new(RedisServer.Start);

    /// <summary>The shared PostgreSQL 15 server.</summary>
    public static PostgresServer Postgres => s_postgres.Value;

    /// <summary>The shared redis-server.</summary>
    public static RedisServer Redis => s_redis.Value;

    [OneTimeTearDown]
    public void StopServers()
    {
        if (s_postgres.IsValueCreated) s_postgres.Value.Dispose();
        if (s_redis.IsValueCreated) s_redis.Value.Dispose();
    }
}
