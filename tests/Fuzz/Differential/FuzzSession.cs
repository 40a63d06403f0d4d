using System.Diagnostics;
using Dsl.Fuzz.Compilation;
using Dsl.Fuzz.Generation;
using Dsl.Runtime;

namespace Dsl.Fuzz.Differential;

/// <summary>
/// A fuzzing run: programs generated from consecutive indices (each with its own seeds, <see cref="ProgramSeed"/>
/// and <see cref="InputSeed"/>), compiled with Roslyn in batches, each checked by <see cref="DifferentialRunner"/>
/// on up to <c>threads</c> threads; tallies which constructs compiled and which fell back, and why. Verdicts are
/// recorded in index order, so every count, the report and the mismatches depend on the seed only, not on the
/// thread count or on which program finished first.
/// </summary>
internal sealed class FuzzSession(int rows, int seed, int size, int threads = 1, HangWatchdog? watchdog = null)
{
    private const int BatchSize = 200;

    public int Ran { get; private set; }
    public int Compiled { get; private set; }
    public int Skipped { get; private set; }
    public List<(ProgramVerdict Verdict, int Index)> Mismatches { get; } = [];
    public Dictionary<Construct, (int Programs, int Compiled)> ByConstruct { get; } = [];
    public int Rows => rows;

    public int Seed => seed;

    public int Size => size;

    public Dictionary<string, int> FallbackReasons { get; } = [];
    public Dictionary<string, int> SkipReasons { get; } = [];
    public TimeSpan Elapsed { get; private set; }

    /// <summary>
    /// Checks programs until <paramref name="programs"/> have run (skipped ones don't count), or
    /// <paramref name="maxGenerated"/> were made. A batch holds as many programs as are still needed (at most
    /// <see cref="BatchSize"/>); Roslyn compiles the next batch while this one is checked. <paramref name="recorded"/>
    /// sees each verdict with its program's index, in index order.
    /// </summary>
    public void Run(int programs, int maxGenerated, Action<string>? progress = null, Action<int, ProgramVerdict>? recorded = null, int from = 0)
    {
        var clock = Stopwatch.StartNew();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
        var next = from;
        maxGenerated += from;
        (int Start, Task<IReadOnlyList<CompiledProgram>> Programs)? prefetched = null;
        while (Ran < programs && next < maxGenerated)
        {
            var (start, compiling) = prefetched ?? (next, Task.FromResult(CompileBatch(next, BatchLength(next, programs - Ran, maxGenerated))));
            var batch = compiling.Result;
            var count = batch.Count;
            next = start + count;
            // Assuming nothing in this batch is skipped (skips are rare), the next batch is what will still be needed.
            var ahead = BatchLength(next, programs - Ran - count, maxGenerated);
            var aheadStart = next;
            prefetched = ahead > 0 ? (aheadStart, Task.Run(() => CompileBatch(aheadStart, ahead))) : null;

            var verdicts = new ProgramVerdict[count];
            Parallel.For(0, count, parallel, k =>
            {
                using var watched = watchdog?.Watch(start + k);
                verdicts[k] = DifferentialRunner.Check(batch[k], rows, InputSeed(start + k));
            });
            for (var k = 0; k < count && Ran < programs; k++)
            {
                Record(verdicts[k], start + k);
                recorded?.Invoke(start + k, verdicts[k]);
            }
            progress?.Invoke($"programs={Ran} skipped={Skipped} compiled={Compiled} mismatches={Mismatches.Count}");
        }
        prefetched?.Programs.Wait();
        Elapsed = clock.Elapsed;
    }

    /// <summary>The generated program at <paramref name="index"/>, as <see cref="Run"/> checks it.</summary>
    public FuzzProgram Generate(int index)
    {
        var (programSeed, programSize) = ProgramSeed(index);
        return ProgramGenerator.Generate(programSeed, programSize);
    }

    private static int BatchLength(int start, int stillNeeded, int maxGenerated) =>
        Math.Max(0, Math.Min(Math.Min(BatchSize, stillNeeded), maxGenerated - start));

    private IReadOnlyList<CompiledProgram> CompileBatch(int start, int count)
    {
        var compiled = ProgramCompiler.Compile(Enumerable.Range(start, count).Select(Generate).ToList());
        foreach (var program in compiled)
        {
            if (program.Function is null) throw new InvalidOperationException($"generator bug: a program does not compile\n{program.Source}\n{program.Errors}");
        }
        return compiled;
    }

    /// <summary>The seed of input data for the program generated at index <paramref name="index"/>.</summary>
    public int InputSeed(int index) => unchecked(seed + index);

    /// <summary>The seed and size that generate the program at index <paramref name="index"/>.</summary>
    public (int Seed, int Size) ProgramSeed(int index) => (unchecked(seed * 1_000_003 + index), 1 + index % size);

    private void Record(ProgramVerdict verdict, int index)
    {
        if (verdict.Skipped is not null)
        {
            Skipped++;
            Count(SkipReasons, verdict.Skipped);
            return;
        }
        Ran++;
        var compiled = verdict.Mode == ExecutionMode.Compiled;
        if (compiled) Compiled++;
        else Count(FallbackReasons, FallbackKey(verdict.FallbackReason));
        foreach (var c in verdict.Program.Constructs)
        {
            var (p, k) = ByConstruct.GetValueOrDefault(c);
            ByConstruct[c] = (p + 1, k + (compiled ? 1 : 0));
        }
        if (verdict.Mismatch is not null) Mismatches.Add((verdict, index));
    }

    /// <summary>
    /// The lowering construct a fallback reason names (<c>message (construct) at IL_0012, File.cs:3:5</c> →
    /// <c>construct</c>), so the report counts causes rather than individual lines; otherwise the reason itself.
    /// </summary>
    internal static string FallbackKey(string? reason)
    {
        if (reason is null) return "(no reason)";
        // Codegen's size limit is a named cause, not a defect: count it under its name.
        if (reason.StartsWith("no kernel for this IR (System.NotSupportedException: ir-too-large", StringComparison.Ordinal)) return "ir-too-large (codegen)";
        foreach (var defect in new[] { "lowering failed (", "no kernel for this IR (" })
        {
            if (reason.StartsWith(defect, StringComparison.Ordinal)) return defect + reason[defect.Length..].Split(':')[0] + ")";
        }
        var match = System.Text.RegularExpressions.Regex.Match(reason, @"\(([A-Za-z0-9_.-]+)\)(?: at .*)?$");
        return match.Success ? match.Groups[1].Value : reason.Length > 120 ? reason[..120] + "…" : reason;
    }

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
