using Dsl.Fuzz.Compilation;
using Dsl.Fuzz.Generation;
using Dsl.Runtime;
using Dsl.TestSupport;

namespace Dsl.Fuzz.Differential;

/// <summary>Where two paths disagree: the first differing row, its input, and both outcomes.</summary>
internal sealed record Mismatch(string Paths, int Row, object?[] Input, RowOutcome Expected, RowOutcome Actual)
{
    public override string ToString() =>
        $"{Paths}: row {Row} ({string.Join(", ", Input.Select(ResultComparer.Describe))}): expected {Expected}, got {Actual}";
}

/// <summary>The verdict on one program: how it ran (or why it was skipped) and the first mismatch, if any.</summary>
internal sealed record ProgramVerdict(FuzzProgram Program, ExecutionMode? Mode, string? FallbackReason, string? Skipped, Mismatch? Mismatch);

/// <summary>
/// Runs one compiled program over random Arrow input through every path and compares them exactly. The program
/// is compiled as users compile theirs, with the runtime's public <see cref="FunctionCompiler.Compile(Delegate, CompileOptions?)"/>
/// (a lowering or codegen defect then shows as a fallback whose reason names it), and evaluated with the public
/// <see cref="CompiledFunction.Evaluate"/>: the row-by-row path (<see cref="EvaluationMode.Fallback"/>) against
/// calling the delegate directly (a null in a column bound to a non-nullable value type gives null without a call;
/// a throwing row gives null and its exception type; the value is what its Arrow output column can hold,
/// <see cref="OutputRepresentation"/>), and, when the function lowered, the compiled path
/// (<see cref="EvaluationMode.Compiled"/>, two threads, 64-row morsels) against the row-by-row path.
/// </summary>
internal static class DifferentialRunner
{
    public static ProgramVerdict Check(CompiledProgram program, int rows, int seed)
    {
        var function = FunctionCompiler.Compile(program.Function ?? throw new ArgumentException($"the program does not compile: {program.Errors}"));
        var types = function.Parameters.Select(p => p.Type).ToArray();
        using var input = FuzzInput.TryCreate(program.Program, types, rows, seed, out var unsupported);
        if (input is null) return new ProgramVerdict(program.Program, null, null, $"input: {unsupported}", null);
        return Check(program.Program, program.Function!, function, types, input);
    }

    /// <summary>Checks a delegate (a regression case) over given rows, one boxed value per parameter.</summary>
    public static Mismatch? Check(Delegate function, params object?[][] rows)
    {
        var compiled = FunctionCompiler.Compile(function);
        var types = compiled.Parameters.Select(p => p.Type).ToArray();
        using var input = FuzzInput.FromRows(compiled.Parameters.Select(p => p.Name).ToArray(), types, rows);
        var placeholder = new FuzzProgram([], FuzzType.Double, new Block([]));
        var verdict = Check(placeholder, function, compiled, types, input);
        return verdict.Mismatch ?? (verdict.Skipped is { } skipped ? new Mismatch(skipped, -1, [], new RowOutcome(null, null), new RowOutcome(null, null)) : null);
    }

    private static ProgramVerdict Check(FuzzProgram fuzzProgram, Delegate original, CompiledFunction function, Type[] types, FuzzInput input)
    {
        var program = new CompiledProgram(fuzzProgram, original, null, "");

        var call = DelegateCaller.For(original);
        var reference = input.Rows.Select(row => Call(call, types, row)).ToArray();
        var (fallback, fallbackSkip, fallbackCrash) = Evaluate(function, input, new EvaluateOptions { Mode = EvaluationMode.Fallback, Threads = 1 });
        if (fallback is null) return Verdict(function, program, fallbackSkip, Crash("fallback path", fallbackCrash));
        var mismatch = Compare("fallback vs delegate", reference, fallback, input);
        if (mismatch is null && function.Mode == ExecutionMode.Compiled)
        {
            var (compiled, compiledSkip, compiledCrash) = Evaluate(function, input, new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = 2, MorselSize = 64 });
            mismatch = compiled is null
                ? Crash("compiled path", compiledCrash ?? compiledSkip)
                : Compare("compiled vs fallback", fallback, compiled, input);
        }
        return Verdict(function, program, null, mismatch);
    }

    private static ProgramVerdict Verdict(CompiledFunction function, CompiledProgram program, string? skipped, Mismatch? mismatch) =>
        new(program.Program, function.Mode, function.FallbackReason, skipped, mismatch);

    private static Mismatch? Crash(string path, string? problem) =>
        problem is null ? null : new Mismatch(path, -1, [], new RowOutcome(null, null), new RowOutcome(null, problem));

    private static Mismatch? Compare(string paths, RowOutcome[] expected, RowOutcome[] actual, FuzzInput input) =>
        ResultComparer.FirstDifference(expected, actual) is { } row
            ? new Mismatch(paths, row, row < input.Rows.Length ? input.Rows[row] : [],
                row < expected.Length ? expected[row] : new RowOutcome(null, "(missing row)"),
                row < actual.Length ? actual[row] : new RowOutcome(null, "(missing row)"))
            : null;

    /// <summary>
    /// Evaluates, or says why it could not: a result type with no Arrow array class yet is a skip
    /// (NotSupportedException); any other exception escaping Evaluate is returned as a problem (a crash is a bug).
    /// </summary>
    private static (RowOutcome[]? Outcomes, string? Skip, string? Crash) Evaluate(CompiledFunction function, FuzzInput input, EvaluateOptions options)
    {
        try
        {
            using var result = function.Evaluate(input.Batch, options);
            return (ResultComparer.Outcomes(result), null, null);
        }
        catch (NotSupportedException e)
        {
            return (null, $"result: {e.Message}", null);
        }
        catch (Exception e)
        {
            return (null, null, $"Evaluate threw {e.GetType().FullName}: {e.Message}");
        }
    }

    private static RowOutcome Call(Func<object?[], object?> function, Type[] types, object?[] row)
    {
        for (var k = 0; k < row.Length; k++)
        {
            if (row[k] is null && types[k].IsValueType && Nullable.GetUnderlyingType(types[k]) is null) return new RowOutcome(null, null);
        }
        object? result;
        try
        {
            result = function(row);
        }
        catch (Exception thrown)
        {
            return new RowOutcome(null, thrown.GetType().FullName);
        }
        try
        {
            return new RowOutcome(OutputRepresentation.Of(result), null);
        }
        catch (OverflowException thrown)
        {
            // The result cannot be written to its output column (OutputRepresentation): the row fails.
            return new RowOutcome(null, thrown.GetType().FullName);
        }
    }
}
