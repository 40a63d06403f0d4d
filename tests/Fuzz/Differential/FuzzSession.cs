using System.Diagnostics;
using Dsl.Fuzz.Compilation;
using Dsl.Fuzz.Generation;
using Dsl.Runtime;

namespace Dsl.Fuzz.Differential;

/// <summary>
/// A fuzzing run: programs generated from consecutive seeds, compiled with Roslyn in batches, each checked by
/// <see cref="DifferentialRunner"/>; tallies which constructs compiled and which fell back, and why.
/// </summary>
internal sealed class FuzzSession(int rows, int seed, int size)
{
    private const int BatchSize = 200;

    public int Ran { get; private set; }
    public int Compiled { get; private set; }
    public int Skipped { get; private set; }
    public List<(ProgramVerdict Verdict, int Index)> Mismatches { get; } = [];
    public Dictionary<Construct, (int Programs, int Compiled)> ByConstruct { get; } = [];
    public int Rows => rows;

    public Dictionary<string, int> FallbackReasons { get; } = [];
    public Dictionary<string, int> SkipReasons { get; } = [];
    public TimeSpan Elapsed { get; private set; }

    /// <summary>Checks programs until <paramref name="programs"/> have run (skipped ones don't count), or <paramref name="maxGenerated"/> were made.</summary>
    public void Run(int programs, int maxGenerated, Action<string>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var next = 0;
        while (Ran < programs && next < maxGenerated)
        {
            var count = Math.Min(BatchSize, maxGenerated - next);
            var batch = Enumerable.Range(next, count).Select(i => ProgramSeed(i)).Select(p => ProgramGenerator.Generate(p.Seed, p.Size)).ToList();
            foreach (var (compiled, i) in ProgramCompiler.Compile(batch).Select((c, k) => (c, next + k)))
            {
                if (Ran >= programs) break;
                if (compiled.Function is null) throw new InvalidOperationException($"generator bug: a program does not compile\n{compiled.Source}\n{compiled.Errors}");
                Record(DifferentialRunner.Check(compiled, rows, InputSeed(i)), i);
            }
            next += count;
            progress?.Invoke($"programs={Ran} skipped={Skipped} compiled={Compiled} mismatches={Mismatches.Count}");
        }
        Elapsed = clock.Elapsed;
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
        foreach (var defect in new[] { "lowering failed (", "no kernel for this IR (" })
        {
            if (reason.StartsWith(defect, StringComparison.Ordinal)) return defect + reason[defect.Length..].Split(':')[0] + ")";
        }
        var match = System.Text.RegularExpressions.Regex.Match(reason, @"\(([A-Za-z0-9_.-]+)\)(?: at .*)?$");
        return match.Success ? match.Groups[1].Value : reason.Length > 120 ? reason[..120] + "…" : reason;
    }

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
