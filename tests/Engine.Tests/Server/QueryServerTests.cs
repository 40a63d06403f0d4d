using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dsl.Engine.Server;
using Dsl.Engine.Tests.Planning;

namespace Dsl.Engine.Tests.Server;

public sealed class QueryServerTests
{
    private QueryServer _server = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await QueryServer.StartAsync(MemoryShop.Engine());
        _client = new HttpClient { BaseAddress = _server.Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public void Address_IsLoopback() => Assert.That(_server.Address.Host, Is.EqualTo("127.0.0.1"));

    [Test]
    public async Task Health_IsOk()
    {
        using var response = await _client.GetAsync("health");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("\"status\":\"ok\""));
    }

    [Test]
    public async Task Query_AnswersValuesAndMetadata()
    {
        using var response = await Post("""{"inputs": {"user.id": 1}, "outputs": ["user.total_spend", "user.name"], "now": "2026-06-30T12:00:00Z"}""");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        using var json = JsonDocument.Parse(text);
        var values = json.RootElement.GetProperty("values");
        Assert.That(values.GetProperty("User.TotalSpend").GetDouble(), Is.EqualTo(220.5));
        Assert.That(values.GetProperty("User.Name").GetString(), Is.EqualTo("Ada"));
        var metadata = json.RootElement.GetProperty("metadata");
        Assert.That(metadata.GetProperty("features").GetProperty("User.TotalSpend").GetProperty("source").GetString(), Is.EqualTo("computed"));
        Assert.That(metadata.GetProperty("plan").GetArrayLength(), Is.EqualTo(3));
        Assert.That(metadata.GetProperty("steps").GetArrayLength(), Is.EqualTo(3));
    }

    [TestCase("not json", "not valid JSON")]
    [TestCase("[1]", "must be a JSON object")]
    [TestCase("""{"inputs": {"user.id": 1}, "outputs": ["user.nope"]}""", "names no feature of User")]
    [TestCase("""{"inputs": {"user.id": "abc"}, "outputs": ["user.total_spend"]}""", "cannot be read as long")]
    [TestCase("""{"inputs": {"user.id": 1.5}, "outputs": ["user.total_spend"]}""", "cannot be read as long")]
    [TestCase("""{"inputs": {"user.id": 1e400}, "outputs": ["user.total_spend"]}""", "cannot be read as long")]
    [TestCase("""{"inputs": {"user.id": 1}, "outputs": "user.total_spend"}""", "'outputs' must be an array")]
    [TestCase("""{"inputs": {"user.id": 1}, "outputs": ["user.total_spend"], "now": 5}""", "'now' must be a time")]
    [TestCase("""{"inputs": {"user.id": 1}, "outputs": ["user.total_spend"], "extra": 1}""", "unknown member 'extra'")]
    public async Task Query_BadInput_Is400NamingTheProblem(string body, string problem)
    {
        using var response = await Post(body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(text, Does.Contain(problem));
    }

    [Test]
    public async Task Query_OversizedBody_Is400()
    {
        var body = """{"inputs": {"user.id": 1}, "outputs": [""" + string.Join(",", Enumerable.Repeat("\"user.total_spend\"", 10_000)) + "]}";
        using var response = await Post(body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("larger than 65536 bytes"));
    }

    [Test]
    public async Task Query_FuzzedBodies_AreOnly400s()
    {
        var random = new Random(20261203);
        var failures = new List<string>();
        for (var i = 0; i < 1_200; i++)
        {
            var body = FuzzedBodies.Next(random);
            using var response = await Post(body);
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.BadRequest))
                failures.Add($"{(int)response.StatusCode} for {body[..Math.Min(body.Length, 200)]}: {await response.Content.ReadAsStringAsync()}");
            else if (response.StatusCode == HttpStatusCode.BadRequest && !(await response.Content.ReadAsStringAsync()).Contains("\"detail\":"))
                failures.Add($"400 without a detail for {body[..Math.Min(body.Length, 200)]}");
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(10)));
    }

    [Test]
    public async Task Query_ConcurrentClients_AnswerEveryRequestCorrectly()
    {
        var expected = MemoryShop.Users.ToDictionary(u => u.Id, u => MemoryShop.Direct(u.Id, MemoryShop.Now));
        var wrong = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
        {
            var user = MemoryShop.Users[i % MemoryShop.Users.Length].Id;
            var body = $$"""{"inputs": {"user.id": {{user}}}, "outputs": ["user.total_spend", "user.large_count", "user.spend30d", "user.largest_amount", "user.label"], "now": "2026-06-30T12:00:00Z"}""";
            using var response = await Post(body, token);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(token));
            var values = json.RootElement.GetProperty("values");
            var answer = new Dictionary<string, object?>
            {
                ["User.TotalSpend"] = values.GetProperty("User.TotalSpend").GetDouble(),
                ["User.LargeCount"] = values.GetProperty("User.LargeCount").GetInt32(),
                ["User.Spend30d"] = values.GetProperty("User.Spend30d").GetDouble(),
                ["User.LargestAmount"] = values.GetProperty("User.LargestAmount").ValueKind == JsonValueKind.Null ? null : values.GetProperty("User.LargestAmount").GetDouble(),
                ["User.Label"] = values.GetProperty("User.Label").GetString(),
            };
            if (response.StatusCode != HttpStatusCode.OK || json.RootElement.GetProperty("errors").GetArrayLength() != 0 || !answer.SequenceEqual(expected[user]))
                Interlocked.Increment(ref wrong);
        });
        Assert.That(wrong, Is.Zero);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "bounded in time");
    }

    [Test]
    public async Task QueryBulk_AnswersEachEntityInOrder()
    {
        using var response = await Post("""{"inputs": [{"user.id": 2}, {"user.id": 1}, {"user.id": 99}], "outputs": ["user.total_spend", "user.name"], "now": "2026-06-30T12:00:00Z"}""",
            path: "v1/query/bulk");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        using var json = JsonDocument.Parse(text);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.That(results.Select(r => r.GetProperty("values").GetProperty("User.TotalSpend").GetDouble()),
            Is.EqualTo(new[] { 2L, 1L }.Select(u => (double)MemoryShop.Direct(u, MemoryShop.Now)["User.TotalSpend"]!).Append(0.0)));
        Assert.That(results[2].GetProperty("values").GetProperty("User.Name").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [TestCase("""{"inputs": {"user.id": 1}, "outputs": ["user.total_spend"]}""", "must be an array of objects, one per entity")]
    [TestCase("""{"inputs": [], "outputs": ["user.total_spend"]}""", "gives no inputs")]
    [TestCase("""{"inputs": [{"user.id": 1}, 2], "outputs": ["user.total_spend"]}""", "'inputs[1]' must be an object")]
    [TestCase("""{"inputs": [{"user.id": 1}, {"user.id": "x"}], "outputs": ["user.total_spend"]}""", "Entity 2 of 2: ")]
    [TestCase("""{"inputs": [{"user.id": 1}, {"user.id": 2, "user.name": "x"}], "outputs": ["user.total_spend"]}""", "every entity of a query gives the same features")]
    public async Task QueryBulk_BadInput_Is400NamingTheProblem(string body, string problem)
    {
        using var response = await Post(body, path: "v1/query/bulk");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(text, Does.Contain(problem));
    }

    private Task<HttpResponseMessage> Post(string body, CancellationToken token = default, string path = "v1/query") =>
        _client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), token);
}
