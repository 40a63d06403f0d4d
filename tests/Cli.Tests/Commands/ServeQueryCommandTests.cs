using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Dsl.Cli.Tests.Support;
using Dsl.TestSupport.Servers;
using Npgsql;

namespace Dsl.Cli.Tests.Commands;

/// <summary>
/// <c>dsl serve</c> and <c>dsl query</c> over a user's engine (<see cref="ShopEngineFiles"/>: an assembly and <c>.sql</c> resolvers):
/// the server started as its own process on 127.0.0.1 with a free port, asked with <c>dsl query --server</c> and over HTTP, and
/// stopped with SIGINT; the same query in process. Expected values come from the rule that made the data.
/// </summary>
public sealed class ServeQueryCommandTests
{
    private static string Money(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    [Test]
    public async Task ServeAndQuery_UserAssemblyOnDuckDb_AnswerOverHttpFromQueryAndInProcess()
    {
        using var directory = new TempDirectory();
        var assembly = ShopEngineFiles.Write(directory);
        var database = await ShopEngineFiles.WriteDuckDbAsync(directory);
        string[] engine = ["--assembly", assembly, "--resolvers", ShopEngineFiles.Resolvers(directory), "--source", $"main=duckdb:{database}"];

        // DuckDB lets one process at a time open a database file: the in-process query runs before the server holds it.
        var inProcess = DslTool.Run(["query", "--in", "shop.id=3", "--out", "shop.total", "--out", "shop.label", "--out", "shop.payment_count", .. engine]);
        Assert.That(inProcess.ExitCode, Is.EqualTo(0), inProcess.ToString());
        var expected = ShopEngineFiles.Expected(3);
        Assert.That(inProcess.Stdout, Does.Match($@"Shop\.Total\s+{Regex(Money(expected.Total))}\s+computed"));
        Assert.That(inProcess.Stdout, Does.Match(@"Shop\.Label\s+shop 3!\s+computed"));
        Assert.That(inProcess.Stdout, Does.Match(@"Shop\.PaymentCount\s+3\s+computed"));

        using var server = ServeProcess.Start([.. engine, "--store", "garnet"]);
        Assert.That(server.Banner, Does.Contain("UserFeatures.dll with 2 resolvers").And.Contain("garnet"));

        var remote = DslTool.Run("query", "--server", server.Address.ToString(), "--in", "shop.id=3", "--out", "shop.total", "--out", "shop.label", "--explain");
        Assert.That(remote.ExitCode, Is.EqualTo(0), remote.ToString());
        Assert.That(remote.Stdout, Does.Match($@"Shop\.Total\s+{Regex(Money(expected.Total))}\s+computed"));
        Assert.That(remote.Stdout, Does.Contain("resolver 'payments_of_shop': SQL on duckdb 'main', online"));

        using var http = new HttpClient { BaseAddress = server.Address };
        for (var shop = 1L; shop <= ShopEngineFiles.Shops; shop++)
        {
            using var answer = await PostAsync(http, "v1/query", $$"""{"inputs": {"shop.id": {{shop}}}, "outputs": ["shop.name", "shop.total", "shop.payment_count", "shop.label"]}""");
            var values = answer.RootElement.GetProperty("values");
            var (name, total, count, label) = ShopEngineFiles.Expected(shop);
            Assert.That(answer.RootElement.GetProperty("errors").GetArrayLength(), Is.Zero, answer.RootElement.ToString());
            Assert.That(values.GetProperty("Shop.Name").GetString(), Is.EqualTo(name));
            Assert.That(values.GetProperty("Shop.Total").GetDouble(), Is.EqualTo(total), $"shop {shop}");
            Assert.That(values.GetProperty("Shop.PaymentCount").GetInt32(), Is.EqualTo(count));
            Assert.That(values.GetProperty("Shop.Label").GetString(), Is.EqualTo(label));
        }
        // Shop 3's total was computed (and stored) by the dsl query above: this one comes from the embedded Garnet.
        using (var cached = await PostAsync(http, "v1/query", """{"inputs": {"shop.id": 3}, "outputs": ["shop.total"]}"""))
            Assert.That(cached.RootElement.GetProperty("metadata").GetProperty("features").GetProperty("Shop.Total").GetProperty("source").GetString(), Is.EqualTo("store"));

        using (var bulk = await PostAsync(http, "v1/query/bulk", """{"inputs": [{"shop.id": 5}, {"shop.id": 6}, {"shop.id": 1}], "outputs": ["shop.total", "shop.label"]}"""))
        {
            var results = bulk.RootElement.GetProperty("results").EnumerateArray().ToList();
            Assert.That(results.Select(r => r.GetProperty("values").GetProperty("Shop.Total").GetDouble()),
                Is.EqualTo(new[] { 5L, 6L, 1L }.Select(s => ShopEngineFiles.Expected(s).Total)));
        }
        var many = DslTool.Run("query", "--server", server.Address.ToString(), "--in", "shop.id=2", "--in", "shop.id=6", "--out", "shop.payment_count");
        Assert.That(many.ExitCode, Is.EqualTo(0), many.ToString());
        Assert.That(many.Stdout, Does.Match(@"(?s)^shop\.id=2:\n.*Shop\.PaymentCount\s+2\s+computed\n\nshop\.id=6:\n.*Shop\.PaymentCount\s+0\s+computed"));

        var bad = await http.PostAsync("v1/query", new StringContent("""{"inputs": {"shop.id": 1}, "outputs": ["shop.nope"]}""", Encoding.UTF8, "application/json"));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var refused = DslTool.Run("query", "--server", server.Address.ToString(), "--in", "shop.id=x", "--out", "shop.total");
        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.Stderr, Does.StartWith("dsl: ").And.Contain("shop.id").IgnoreCase);

        Assert.That(server.Stop(), Is.EqualTo(0), "SIGINT stops the server cleanly");
        Assert.That(LocalPorts.Accepts(server.Address.Port), Is.False, "the port is released");
    }

    [Test]
    public async Task ServeAndQuery_UserAssemblyOnPostgresWithRedis_OneFeatureFromRedisTheRestComputed()
    {
        using var postgres = PostgresServer.Start();
        using var redis = RedisServer.Start();
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var seed = new NpgsqlCommand(ShopEngineFiles.PostgresData, connection);
            await seed.ExecuteNonQueryAsync();
        }
        using var directory = new TempDirectory();
        var assembly = ShopEngineFiles.Write(directory);
        string[] engine = ["--assembly", assembly, "--resolvers", ShopEngineFiles.Resolvers(directory), "--source", $"main=postgres:{postgres.ConnectionString}",
            "--store", $"redis://{redis.Address}"];

        using var server = ServeProcess.Start(engine);
        Assert.That(server.Banner, Does.Contain($"redis {redis.Address}"));
        string[] query = ["query", "--server", server.Address.ToString(), "--in", "shop.id=4", "--out", "shop.total", "--out", "shop.label", "--out", "shop.payment_count"];
        var first = DslTool.Run(query);
        var second = DslTool.Run(query);

        var expected = ShopEngineFiles.Expected(4);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        Assert.That(first.Stdout, Does.Match($@"Shop\.Total\s+{Regex(Money(expected.Total))}\s+computed"));
        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        Assert.That(second.Stdout, Does.Match($@"Shop\.Total\s+{Regex(Money(expected.Total))}\s+store \(\d+(\.\d)? ms old\)"), "written to redis by the first");
        Assert.That(second.Stdout, Does.Match(@"Shop\.Label\s+shop 4!\s+computed"));
        Assert.That(second.Stdout, Does.Match(@"Shop\.PaymentCount\s+4\s+computed"));
        Assert.That(server.Stop(), Is.EqualTo(0));
    }

    [Test]
    public void Serve_AssemblyWithoutResolvers_IsBadInput()
    {
        using var directory = new TempDirectory();
        var run = DslTool.Run("serve", "--port", "0", "--assembly", ShopEngineFiles.Write(directory));
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("--assembly needs --resolvers DIR"));
    }

    [Test]
    public void Query_UnknownSourceKind_IsBadInput()
    {
        using var directory = new TempDirectory();
        var run = DslTool.Run("query", "--in", "shop.id=1", "--out", "shop.total", "--assembly", ShopEngineFiles.Write(directory),
            "--resolvers", ShopEngineFiles.Resolvers(directory), "--source", "main=mysql:somewhere");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("unknown kind 'mysql'; the kinds are duckdb and postgres"));
    }

    private static async Task<JsonDocument> PostAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonDocument.Parse(text);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
