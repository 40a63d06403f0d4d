using System.Globalization;
using Dsl.Fuzz.Compilation;
using Dsl.Fuzz.Differential;
using Dsl.Fuzz.Generation;
using Dsl.Runtime;

namespace Dsl.Fuzz;

/// <summary>
/// Long mode of the fuzzer: <c>dotnet run --project tests/Fuzz -- --programs N --seed S</c> checks N generated
/// resolvers, prints the compiled-vs-fallback share by construct and the fallback reasons, writes each mismatch
/// (shrunk to a minimal lambda, plus its input as an Arrow IPC file) under <c>--out</c>, and ends with one line
/// <c>programs=… compiled=…% mismatches=… programs_per_s=…</c>; exit code 1 when there is a mismatch.
/// <c>--threads T</c> checks programs on T threads (default: all processors) without changing what is reported.
/// A program that runs longer than <c>--hang-seconds</c> (default 120) is reported as a likely hang, and the run
/// stops with exit code 2 when it is still running at three times that (<see cref="HangWatchdog"/>).
/// <c>dotnet test</c> runs the CI mode; <c>--print N</c> shows the first N programs the same options would check,
/// each with how the runtime compiled it (or why it fell back).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var options = FuzzOptions.Parse(args);
        if (options.Print > 0) return Print(options);

        using var watchdog = new HangWatchdog(TimeSpan.FromSeconds(options.HangSeconds), line => Console.Error.WriteLine($"fuzz: {line}"));
        var session = new FuzzSession(options.Rows, options.Seed, options.Size, options.Threads, watchdog);
        Console.Error.WriteLine($"fuzz: {options.Programs} programs × {options.Rows} rows, seed {options.Seed}, {options.Threads} threads");
        session.Run(options.Programs, maxGenerated: options.Programs * 10, progress: line => Console.Error.WriteLine($"fuzz: {line}"), from: options.From);
        Report(session);
        for (var m = 0; m < session.Mismatches.Count; m++) WriteMismatch(session, m, options.Out);

        var percent = session.Ran == 0 ? 0 : 100.0 * session.Compiled / session.Ran;
        var rate = session.Ran / Math.Max(session.Elapsed.TotalSeconds, 1e-9);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"programs={session.Ran} compiled={percent:F1}% mismatches={session.Mismatches.Count} programs_per_s={rate:F1}"));
        return session.Mismatches.Count > 0 ? 1 : 0;
    }

    private static void Report(FuzzSession session)
    {
        Console.WriteLine($"rows per program: {session.Rows}; skipped (input or result type without an Arrow array class yet): {session.Skipped}");
        foreach (var (reason, count) in session.SkipReasons.OrderByDescending(r => r.Value)) Console.WriteLine($"  skipped {count,6}  {reason}");
        Console.WriteLine("construct                 programs  compiled");
        foreach (var (construct, (programs, compiled)) in session.ByConstruct.OrderBy(c => c.Key.ToString()))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{construct,-24} {programs,9}  {100.0 * compiled / programs,7:F1}%"));
        Console.WriteLine("fallback reasons:");
        foreach (var (reason, count) in session.FallbackReasons.OrderByDescending(r => r.Value)) Console.WriteLine($"  {count,6}  {reason}");
    }

    /// <summary>Shrinks the mismatching program (recompiling each candidate), then writes its lambda and its input.</summary>
    private static void WriteMismatch(FuzzSession session, int m, string outDirectory)
    {
        var (verdict, index) = session.Mismatches[m];
        var inputSeed = session.InputSeed(index);
        bool StillFails(FuzzProgram p)
        {
            var compiled = ProgramCompiler.Compile([p])[0];
            return compiled.Function is not null && DifferentialRunner.Check(compiled, session.Rows, inputSeed).Mismatch is not null;
        }
        var minimal = ProgramShrinker.Minimize(verdict.Program, StillFails, maxSteps: 500);
        var compiledMinimal = ProgramCompiler.Compile([minimal])[0];
        var minimalVerdict = DifferentialRunner.Check(compiledMinimal, session.Rows, inputSeed);
        Directory.CreateDirectory(outDirectory);
        var stem = Path.Combine(outDirectory, $"mismatch-{m}");
        var (programSeed, size) = session.ProgramSeed(index);
        // The program's index is what --from takes; the generator seed is not (it is the index plus seed × 1,000,003,
        // and reading its last digits as an index once sent a whole investigation after the wrong program).
        var rerun = $"--from {index} --programs 1 --seed {session.Seed} --rows {session.Rows} --size {session.Size}";
        File.WriteAllText(stem + ".cs",
            $"// program {index} ({rerun}): generator seed {programSeed}, size {size}; input seed {inputSeed}, {session.Rows} rows ({stem}.arrow)\n" +
            $"// {minimalVerdict.Mismatch ?? verdict.Mismatch}\n{minimal.RenderLambda()}");
        var types = minimal.Parameters.Select(p => p.Type.ClrType).ToArray();
        using var input = FuzzInput.TryCreate(minimal, types, session.Rows, inputSeed, out _);
        input?.Write(stem + ".arrow");
        Console.WriteLine($"mismatch {m}, program {index} ({rerun}): {minimalVerdict.Mismatch ?? verdict.Mismatch}\n{minimal.RenderLambda()}  → {stem}.cs, {stem}.arrow");
    }

    private static int Print(FuzzOptions options)
    {
        var session = new FuzzSession(options.Rows, options.Seed, options.Size);
        var programs = Enumerable.Range(options.From, options.Print).Select(session.Generate).ToList();
        foreach (var (c, index) in ProgramCompiler.Compile(programs).Select((c, i) => (c, options.From + i)))
        {
            var (programSeed, size) = session.ProgramSeed(index);
            Console.WriteLine($"// program {index}: generator seed {programSeed}, size {size}; constructs: {string.Join(", ", c.Program.Constructs.Order())}");
            // The source first, so that a program that kills the process while compiling is still shown.
            Console.WriteLine(c.Source);
            Console.Out.Flush();
            if (c.Function is { } function)
            {
                var compiled = FunctionCompiler.Compile(function);
                Console.WriteLine(compiled.FallbackReason is { } reason ? $"// falls back: {reason}" : "// compiles");
                if (compiled.IrText is { } ir) Console.WriteLine($"// IR:\n{ir}");
                if (compiled.KernelText is { } kernel) Console.WriteLine($"// kernel:\n{kernel}");
            }
            if (c.Errors is not null) Console.WriteLine($"// DOES NOT COMPILE:\n// {c.Errors.Replace("\n", "\n// ")}");
        }
        return 0;
    }
}
