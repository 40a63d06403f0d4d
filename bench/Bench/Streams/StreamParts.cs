using System.Diagnostics;
using Dsl.Streams.Parsing;
using Dsl.Streams.Samples;
using Dsl.Streams.Sources;

namespace Dsl.Bench.Streams;

/// <summary>
/// <c>stream-parts FILE</c>: where the replay workload's time goes, per stage over a replay file (reading envelopes, JSON to
/// columns, building the Arrow batch, evaluating the plan), three rounds; for finding what to speed up, not for figures.
/// </summary>
internal static class StreamParts
{
    public static void Run(string file)
    {
        var resolver = SampleStream.Resolver();
        var batch = new MessageBatch();
        var reader = new MessageColumnsReader(resolver);
        for (var round = 0; round < 3; round++)
        {
            TimeSpan read = default, parse = default, build = default, eval = default;
            long n = 0;
            var source = new ReplaySource(file);
            var clock = new Stopwatch();
            while (true)
            {
                clock.Restart();
                if (!source.ReadAsync(batch, 4096, TimeSpan.Zero, default).AsTask().Result) break;
                read += clock.Elapsed;
                clock.Restart();
                reader.Begin(batch.Count);
                for (var i = 0; i < batch.Count; i++) reader.ReadJson(batch.Data(i));
                parse += clock.Elapsed;
                clock.Restart();
                using var columns = reader.Build();
                build += clock.Elapsed;
                clock.Restart();
                using var result = resolver.Plan.Evaluate(columns, new Dsl.Runtime.EvaluateOptions { Threads = 1 });
                eval += clock.Elapsed;
                n += batch.Count;
                if (batch.Count == 0) break;
            }
            Console.WriteLine($"{n} msgs: read {read.TotalMilliseconds:F0} ms, parse {parse.TotalMilliseconds:F0} ms, build {build.TotalMilliseconds:F0} ms, eval {eval.TotalMilliseconds:F0} ms");
        }
    }
}
