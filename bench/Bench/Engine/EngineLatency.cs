using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dsl.Engine;
using Dsl.Engine.Server;
using Dsl.Engine.Sources;
using Dsl.Engine.Store;
using Dsl.TestSupport.Servers;
using Npgsql;

namespace Dsl.Bench.Engine;

/// <summary>
/// <c>bench/engine.sh [--users N] [--requests N] [--seconds S] [--rate R] [--clients C] [--postgres CONNECTION] [--warmup S] [--only SETTINGS]</c>: the online
/// engine's latency for the issue's 20-feature query (<see cref="BenchShop"/>), in three settings, each bounded by a count and a time:
/// <list type="number">
/// <item>in process, every feature fresh in the online store (embedded Garnet): goal p99 ≤ 50 µs;</item>
/// <item>in process, computed: one PostgreSQL lookup of the user, one fetch of its transactions, the compiled aggregations: goal p99 ≤ 1 ms;</item>
/// <item>over HTTP on 127.0.0.1 (<see cref="QueryServer"/>, what <c>dsl serve</c> hosts), computed, <c>C</c> clients (16) sending at a fixed
/// total rate (1,000/s), after --warmup seconds at that rate: goal p99 ≤ 2 ms. Latency is measured from each request's scheduled time, so a
/// stall delays the requests behind it in the figures as it would for callers (no coordinated omission).</item>
/// <item>(<c>http-cached</c>) the same HTTP load with every feature fresh in the store: the share of HTTP, JSON and the server, without PostgreSQL.</item>
/// </list>
/// Each setting is timed only once the JIT has finished tiering its hot code up (<see cref="JitSettling"/>).
/// Every answer is checked (no error, every value present, the cached run all from the store); a wrong one stops the run.
/// PostgreSQL is started on a free port of 127.0.0.1 the way the tests start it (<see cref="PostgresServer"/>) unless given.
/// </summary>
internal static class EngineLatency
{
    public static int Run(string[] args)
    {
        var options = Options.Parse(args);
        return Task.Run(() => RunAsync(options)).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(Options options)
    {
        using var server = options.Postgres is null ? PostgresServer.Start() : null;
        var connection = options.Postgres ?? server!.ConnectionString;
        await using (var seed = new NpgsqlConnection(connection))
        {
            await seed.OpenAsync();
            await using var command = new NpgsqlCommand(BenchShop.PostgresData(options.Users), seed);
            await command.ExecuteNonQueryAsync();
        }
        await using var source = new PostgresSource("main", connection);
        Console.WriteLine($"engine latency: 20 features (14 looked up, 5 aggregations over 50 transactions, 1 over the row); {options.Users:N0} users; "
                          + $"at most {options.Requests:N0} requests or {options.Seconds} s per setting; {Environment.ProcessorCount} cores; "
                          + $"thread-pool spin limit {Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") ?? "default (70)"} (`dsl serve`: 0)");

        if (options.Runs("garnet"))
        {
            await using var store = await RedisOnlineStore.StartEmbeddedAsync();
            await CachedAsync("in process, all 20 fresh in the store (garnet)", source, store, options);
            await StoreFloorAsync(store, options);
        }
        // The same with the store in a dictionary: the engine's own share of the cached query.
        if (options.Runs("memory")) await CachedAsync("in process, all 20 fresh in a dictionary store (no network)", source, new MemoryStore(), options);
        var computed = await BenchShop.EngineAsync(source, store: null);
        if (options.Runs("computed"))
            await InProcessAsync("in process, computed (postgres lookup + fetch, compiled)", computed, options, expectFromStore: false, goal: "p99 ≤ 1 ms");
        if (options.Runs("http")) await OverHttpAsync(computed, options, "computed", "goal p99 ≤ 2 ms");
        // The same HTTP load with every feature fresh in the store (embedded Garnet): what HTTP, JSON and the server cost around the
        // engine, without PostgreSQL. Not the issue's HTTP goal, which is computed.
        if (options.Runs("http-cached"))
        {
            await using var store = await RedisOnlineStore.StartEmbeddedAsync();
            var cached = await BenchShop.EngineAsync(source, store);
            for (var user = 1; user <= options.Users; user++) await QueryAsync(cached, user, expectFromStore: false);
            await OverHttpAsync(cached, options, "all 20 cached in the store (garnet)", "no goal: the HTTP share");
        }
        return 0;
    }

    private static async Task CachedAsync(string title, DataSource source, IOnlineStore store, Options options)
    {
        var cached = await BenchShop.EngineAsync(source, store);
        for (var user = 1; user <= options.Users; user++) await QueryAsync(cached, user, expectFromStore: false);
        await InProcessAsync(title, cached, options, expectFromStore: true, goal: "p99 ≤ 50 µs");
    }

    /// <summary>
    /// The floor under the cached query: the same read of 20 features (one <c>MGET</c>) made on the store directly, without the
    /// engine around it — what the Redis protocol's round trip to Garnet costs on this machine.
    /// </summary>
    private static async Task StoreFloorAsync(IOnlineStore store, Options options)
    {
        var random = new Random(42);
        var histogram = new LatencyHistogram();
        var deadline = Stopwatch.StartNew();
        var clock = new Stopwatch();
        var features = BenchShop.Outputs.Select(o => o["bench_user.".Length..]).Select(f => string.Concat(f.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..]))).ToArray();
        for (var i = 0; histogram.Count < options.Requests && deadline.Elapsed.TotalSeconds < options.Seconds; i++)
        {
            var user = random.Next(1, options.Users + 1).ToString(CultureInfo.InvariantCulture);
            var keys = features.Select(f => new FeatureKey(nameof(BenchUser), user, f)).ToArray();
            clock.Restart();
            var values = await store.GetAsync(keys);
            if (i >= 200) histogram.Record(clock.Elapsed);
            if (values.Any(v => v is null)) throw new InvalidOperationException($"user {user}: the store lacks a feature the engine wrote");
        }
        Console.WriteLine($"  the store alone ({store.Description}, one read of the 20 features): {histogram.Summary()}");

        // Below the store: the same MGET as raw RESP on one socket, without StackExchange.Redis (the protocol's own round trip).
        var address = store.Description[(store.Description.LastIndexOf(' ') + 1)..];
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var endPoint = System.Net.IPEndPoint.Parse(address);
        await socket.ConnectAsync(endPoint);
        var reply = new byte[64 * 1024];
        await MeasureAsync("raw RESP on one socket", async keys =>
        {
            var command = new StringBuilder($"*{keys.Length + 1}\r\n$4\r\nMGET\r\n");
            foreach (var key in keys) command.Append($"${Encoding.UTF8.GetByteCount(key)}\r\n{key}\r\n");
            await socket.SendAsync(Encoding.UTF8.GetBytes(command.ToString()));
            var length = 0;
            int found;
            while ((found = RespBulkCount(reply.AsSpan(0, length), keys.Length)) < 0) length += await socket.ReceiveAsync(reply.AsMemory(length));
            return found;
        });

        async Task MeasureAsync(string title, Func<string[], Task<int>> read)
        {
            var timed = new LatencyHistogram();
            var started = Stopwatch.StartNew();
            for (var i = 0; timed.Count < options.Requests && started.Elapsed.TotalSeconds < options.Seconds; i++)
            {
                var user = random.Next(1, options.Users + 1);
                var keys = features.Select(f => $"dsl:{nameof(BenchUser)}:{user}:{f}").ToArray();
                clock.Restart();
                var count = await read(keys);
                if (i >= 200) timed.Record(clock.Elapsed);
                if (count != keys.Length) throw new InvalidOperationException($"user {user}: {count} of {keys.Length} keys read through {title}");
            }
            Console.WriteLine($"  {title} (the same MGET): {timed.Summary()}");
        }
    }

    /// <summary>The number of non-null bulk strings in a complete RESP array reply of <paramref name="items"/> items, or −1 while incomplete.</summary>
    private static int RespBulkCount(ReadOnlySpan<byte> reply, int items)
    {
        var position = 0;
        int Line(ReadOnlySpan<byte> text)
        {
            var end = text[position..].IndexOf((byte)'\n');
            if (end < 0) return int.MinValue;
            var value = int.Parse(text.Slice(position + 1, end - 2), CultureInfo.InvariantCulture);
            position += end + 1;
            return value;
        }
        if (reply.Length == 0) return -1;
        var count = Line(reply);
        if (count == int.MinValue) return -1;
        if (count != items) throw new InvalidOperationException($"MGET answered {count} items for {items} keys");
        var present = 0;
        for (var i = 0; i < count; i++)
        {
            var size = Line(reply);
            if (size == int.MinValue) return -1;
            if (size < 0) continue;
            if (position + size + 2 > reply.Length) return -1;
            position += size + 2;
            present++;
        }
        return present;
    }

    private static async Task InProcessAsync(string title, FeatureEngine engine, Options options, bool expectFromStore, string goal)
    {
        var random = new Random(42);
        // Warm up until the code is at its final tier (tiered compilation recompiles hot methods in the background, slowly on a busy
        // host, and until then the tail is JIT work): --warmup seconds (2 by default), at least 200 queries.
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < 200 || warming.Elapsed.TotalSeconds < options.Warmup; i++) await QueryAsync(engine, random.Next(1, options.Users + 1), expectFromStore);
        // Then until the JIT has finished tiering the hot methods up (see JitSettling), in slices of 100 queries.
        var settled = await JitSettling.WaitAsync(async () =>
        {
            for (var i = 0; i < 100; i++) await QueryAsync(engine, random.Next(1, options.Users + 1), expectFromStore);
        });
        var compiled = JitSettling.Compiled;
        var histogram = new LatencyHistogram();
        var deadline = Stopwatch.StartNew();
        // With --alloc-types N, the N types most allocated while timed (sampled by the runtime's allocation ticks; the listening costs CPU).
        using var sampler = options.AllocTypes > 0 ? new AllocationSampler() : null;
        sampler?.Start();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = new Stopwatch();
        while (histogram.Count < options.Requests && deadline.Elapsed.TotalSeconds < options.Seconds)
        {
            var user = random.Next(1, options.Users + 1);
            clock.Restart();
            var result = await engine.QueryAsync(Inputs(user), BenchShop.Outputs, new QueryOptions { Now = BenchShop.Now, Timings = false });
            histogram.Record(clock.Elapsed);
            Check(result, user, expectFromStore);
        }
        var perQuery = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / Math.Max(1, histogram.Count);
        // CPU time of this process per query (PostgreSQL's own is not in it; embedded Garnet's is): steadier than latency on a busy host.
        var cpuPerQuery = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / Math.Max(1, histogram.Count);
        Console.WriteLine($"{title}: {histogram.Summary()}; {perQuery:N0} bytes allocated and {cpuPerQuery:N1} µs of CPU per query; goal {goal}; "
                          + JitSettling.Note(compiled, settled));
        foreach (var line in sampler?.Stop(options.AllocTypes) ?? []) Console.WriteLine($"  {line}");
        if (expectFromStore) return;
        // Where a computed query's time goes: the plan's steps, timed by the engine, as medians over a few hundred more queries.
        var steps = new Dictionary<string, List<double>>();
        for (var i = 0; i < 300; i++)
        {
            var result = await engine.QueryAsync(Inputs(random.Next(1, options.Users + 1)), BenchShop.Outputs, new QueryOptions { Now = BenchShop.Now });
            foreach (var step in result.Metadata.Steps)
                (steps.TryGetValue(step.Step, out var times) ? times : steps[step.Step] = []).Add(step.Elapsed.TotalMicroseconds);
            (steps.TryGetValue("whole query", out var whole) ? whole : steps["whole query"] = []).Add(result.Metadata.Elapsed.TotalMicroseconds);
        }
        foreach (var (step, times) in steps) Console.WriteLine($"  median {times.Order().ElementAt(times.Count / 2),8:N0} µs  {step}");
    }

    private static async Task OverHttpAsync(FeatureEngine engine, Options options, string setting, string goal)
    {
        await using var server = await QueryServer.StartAsync(engine);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(10) };
        // Warm up as the in-process settings do, at the offered rate from the same clients: a cold server's first second (its HTTP
        // and JSON code at tier 0, the connections to it and its pool's PostgreSQL connections opened under load) is start-up, and
        // in a 10 s run it alone set the p99 (a 1 s backlog on a busy host, ~150 ms on a quiet one).
        await LoadAsync(http, options, (int)(options.Rate * options.Warmup), new LatencyHistogram());
        // Then until the JIT has finished tiering the hot methods up (see JitSettling), in slices of a quarter second at the offered rate.
        var settled = await JitSettling.WaitAsync(() => LoadAsync(http, options, Math.Max(options.Clients, (int)(options.Rate / 4)), new LatencyHistogram()));
        var compiled = JitSettling.Compiled;
        var total = (int)Math.Min(options.Requests, options.Rate * options.Seconds);
        var all = new LatencyHistogram();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var pauses = GC.GetTotalPauseDuration();
        var collections = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        var started = Stopwatch.GetTimestamp();
        var fromSend = new LatencyHistogram();
        var wrong = await LoadAsync(http, options, total, all, fromSend);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"over HTTP (127.0.0.1, {options.Clients} clients, {options.Rate:N0} requests/s offered, {all.Count / seconds:N0}/s done), {setting}: "
                          + $"{all.Summary()}; wrong answers {wrong}; {goal}; {JitSettling.Note(compiled, settled)}");
        Console.WriteLine($"  counted from when each request left (from its due time when the previous answer held its client past it; "
                          + $"without the clients' own timer error, Task.Delay's whole milliseconds): {fromSend.Summary()}");
        // What the process (server and clients: one process) spent per request, and the GC's pauses: PostgreSQL's CPU is not in it.
        Console.WriteLine($"  {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / Math.Max(1, all.Count):N0} µs of CPU per request (server and clients); "
                          + $"GC pauses {(GC.GetTotalPauseDuration() - pauses).TotalMilliseconds:N0} ms in all "
                          + $"({string.Join("/", Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collections[g]))} collections of generations 0/1/2)");
        // What the last young collection found: how large generation 0 had grown (its budget), how much of it survived (promoted), and
        // its pause — the cost of a young collection is its survivors, so this says whether the budget or the survivors set the pauses.
        var young = GC.GetGCMemoryInfo(GCKind.Ephemeral);
        Console.WriteLine($"  last young collection (gen {young.Generation}): gen0 {young.GenerationInfo[0].SizeBeforeBytes / 1024:N0} KB before, "
                          + $"gen1 {young.GenerationInfo[1].SizeBeforeBytes / 1024:N0} KB before; {young.PromotedBytes / 1024:N0} KB promoted; "
                          + $"pause {young.PauseDurations[0].TotalMicroseconds:N0} µs; {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {GCSettings.LatencyMode}");
        if (wrong > 0) throw new InvalidOperationException($"{wrong} answers over HTTP were errors or incomplete.");
    }

    /// <summary>
    /// Sends <paramref name="total"/> queries from the clients at the offered rate, open loop: request i is due at i / rate s, and its
    /// latency is counted from then, so a stall delays the requests behind it in the figures as it would for callers (no coordinated
    /// omission). Returns the number of wrong answers. <c>fromSend</c>, when given, gets the latency counted from when each request
    /// left, or from its due time when the client's previous answer came after it (the server held the client up: still no coordinated
    /// omission): the clients wait with <c>Task.Delay</c>, which truncates the wait to whole milliseconds and wakes on a coarse timer, so
    /// a request leaves up to a millisecond before or after its due time — an error of the load generator, in either direction, that
    /// counting from the due time alone hides (early) or charges to the server (late).
    /// </summary>
    private static async Task<int> LoadAsync(HttpClient http, Options options, int total, LatencyHistogram into, LatencyHistogram? fromSend = null)
    {
        var interval = TimeSpan.FromSeconds(1.0 / options.Rate);
        var histograms = Enumerable.Range(0, options.Clients).Select(_ => new LatencyHistogram()).ToArray();
        var sendHistograms = Enumerable.Range(0, options.Clients).Select(_ => new LatencyHistogram()).ToArray();
        var wrong = 0;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(async client =>
        {
            var random = new Random(client);
            var answered = start;
            for (var i = client; i < total; i += options.Clients)
            {
                var scheduled = start + (long)(i * interval.TotalSeconds * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                var sent = answered > scheduled ? scheduled : Stopwatch.GetTimestamp();
                var user = random.Next(1, options.Users + 1);
                using var content = new ByteArrayContent(Body(user));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("v1/query", content);
                // Checked from the bytes (no UTF-16 copy): the clients share the server's two cores, so their CPU is kept small.
                var text = await response.Content.ReadAsByteArrayAsync();
                answered = Stopwatch.GetTimestamp();
                histograms[client].Record(Stopwatch.GetElapsedTime(scheduled, answered));
                sendHistograms[client].Record(Stopwatch.GetElapsedTime(sent, answered));
                if (!response.IsSuccessStatusCode || !Correct(text)) Interlocked.Increment(ref wrong);
            }
        }));
        foreach (var histogram in histograms) into.Add(histogram);
        if (fromSend is not null) foreach (var histogram in sendHistograms) fromSend.Add(histogram);
        return wrong;
    }

    private static Task<QueryResult> QueryAsync(FeatureEngine engine, long user, bool expectFromStore) =>
        engine.QueryAsync(Inputs(user), BenchShop.Outputs, new QueryOptions { Now = BenchShop.Now })
            .ContinueWith(t => Check(t.Result, user, expectFromStore), TaskScheduler.Default);

    private static Dictionary<string, object?> Inputs(long user) => new() { ["bench_user.id"] = user };

    private static QueryResult Check(QueryResult result, long user, bool expectFromStore)
    {
        if (result.Errors.Count > 0) throw new InvalidOperationException($"user {user}: {result.Errors[0]}");
        if (result.Values.Count != 20 || result["BenchUser.Name"] is not string name || name != $"user {user}")
            throw new InvalidOperationException($"user {user}: an incomplete answer");
        if (expectFromStore && result.Metadata.CacheHits != 20)
            throw new InvalidOperationException($"user {user}: {result.Metadata.CacheHits} of 20 from the store ({result.Metadata.StoreProblem})");
        return result;
    }

    private static byte[] Body(long user) => Encoding.UTF8.GetBytes(
        $$"""{"inputs": {"bench_user.id": {{user}}}, "outputs": [{{string.Join(", ", BenchShop.Outputs.Select(o => $"\"{o}\""))}}], "now": "2026-06-30T12:00:00Z"}""");

    private static bool Correct(byte[] text)
    {
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("errors").GetArrayLength() == 0 && json.RootElement.GetProperty("values").EnumerateObject().Count() == 20;
    }

    private sealed record Options(int Users, int Requests, double Seconds, double Rate, int Clients, string? Postgres, string[]? Only, double Warmup, int AllocTypes = 0)
    {
        /// <summary>Whether the setting named <paramref name="setting"/> (garnet, memory, computed, http, http-cached) runs: all unless --only lists some.</summary>
        public bool Runs(string setting) => Only is null || Only.Contains(setting);

        public static Options Parse(string[] args)
        {
            var options = new Options(Users: 1_000, Requests: 20_000, Seconds: 10, Rate: 1_000, Clients: 16, Postgres: null, Only: null, Warmup: 2);
            for (var i = 0; i < args.Length; i += 2)
            {
                var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
                options = args[i] switch
                {
                    "--users" => options with { Users = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--requests" => options with { Requests = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--seconds" => options with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                    "--rate" => options with { Rate = double.Parse(value, CultureInfo.InvariantCulture) },
                    "--clients" => options with { Clients = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--postgres" => options with { Postgres = value },
                    "--warmup" => options with { Warmup = double.Parse(value, CultureInfo.InvariantCulture) },
                    "--alloc-types" => options with { AllocTypes = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--only" => options with { Only = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) },
                    _ => throw new ArgumentException($"unknown option {args[i]}; the options are --users, --requests, --seconds, --rate, --clients, --postgres, --warmup, --alloc-types N, --only garnet,memory,computed,http,http-cached"),
                };
            }
            return options;
        }
    }
}
