using System.Runtime.Loader;
using System.Text;
using Dsl.Fuzz.Generation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Dsl.Fuzz.Compilation;

/// <summary>A generated program and the delegate Roslyn made of it, or the compiler's errors.</summary>
public sealed record CompiledProgram(FuzzProgram Program, Delegate? Function, string? Errors, string Source);

/// <summary>
/// Compiles many generated programs at once with Roslyn: one static class whose fields are the programs'
/// lambdas, emitted in memory with an embedded portable PDB (and the source embedded in it, so sequence points
/// and fallback reasons can name lines), loaded into a collectible load context. A program that does not compile
/// is reported with its errors and the rest are compiled again without it, so one bad program costs no others.
/// </summary>
public static class ProgramCompiler
{
    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Private.CoreLib.dll" or "System.Runtime.dll" or "System.Linq.dll"
                or "System.Collections.dll" or "System.Runtime.Extensions.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    private static int s_batches;

    /// <param name="programs">The programs; results come back in the same order.</param>
    /// <param name="optimize">Release IL (as users ship it) or Debug IL (more locals, nops, branches).</param>
    public static IReadOnlyList<CompiledProgram> Compile(IReadOnlyList<FuzzProgram> programs, bool optimize = true)
    {
        var results = new CompiledProgram?[programs.Count];
        var pending = Enumerable.Range(0, programs.Count).ToList();
        while (pending.Count > 0)
        {
            var batch = Interlocked.Increment(ref s_batches);
            var (source, lineRanges) = Render(programs, pending, batch);
            var fileName = $"FuzzBatch{batch}.cs";
            var tree = CSharpSyntaxTree.ParseText(SourceText.From(source, Encoding.UTF8), new CSharpParseOptions(LanguageVersion.Latest), fileName);
            var compilation = CSharpCompilation.Create($"Dsl.Fuzz.Generated{batch}", [tree], s_references.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                    optimizationLevel: optimize ? OptimizationLevel.Release : OptimizationLevel.Debug,
                    nullableContextOptions: NullableContextOptions.Disable));
            using var pe = new MemoryStream();
            var emitted = compilation.Emit(pe, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded),
                embeddedTexts: [EmbeddedText.FromSource(fileName, tree.GetText())]);
            if (!emitted.Success)
            {
                var failed = FailedPrograms(emitted.Diagnostics, lineRanges);
                if (failed.Count == 0) throw new InvalidOperationException("fuzz batch failed to compile outside any program:\n" + string.Join('\n', emitted.Diagnostics));
                foreach (var (index, errors) in failed)
                {
                    results[index] = new CompiledProgram(programs[index], null, errors, programs[index].RenderLambda());
                    pending.Remove(index);
                }
                continue;
            }
            pe.Position = 0;
            var context = new AssemblyLoadContext($"fuzz-batch-{batch}", isCollectible: true);
            var type = context.LoadFromStream(pe).GetType("Dsl.Fuzz.Generated.Batch")!;
            for (var k = 0; k < pending.Count; k++)
            {
                var index = pending[k];
                var function = (Delegate)type.GetField($"P{index}")!.GetValue(null)!;
                results[index] = new CompiledProgram(programs[index], function, null, programs[index].RenderLambda());
            }
            pending.Clear();
        }
        return results!;
    }

    /// <summary>The C# of one batch and, per program index, the lines [start, end) its lambda occupies.</summary>
    private static (string Source, Dictionary<int, (int Start, int End)> Lines) Render(IReadOnlyList<FuzzProgram> programs, List<int> indices, int batch)
    {
        var w = new SourceWriter();
        w.Line("using System;");
        w.Line("using System.Linq;");
        w.Line("namespace Dsl.Fuzz.Generated;");
        w.Line($"// fuzz batch {batch}");
        w.Line("public static class Batch");
        w.Line("{");
        w.Indent++;
        var lines = new Dictionary<int, (int, int)>();
        foreach (var i in indices)
        {
            var start = w.LineCount;
            w.Line($"public static readonly {programs[i].DelegateType} P{i} =");
            w.Indent++;
            programs[i].RenderLambda(w);
            w.AppendToLastLine(";");
            w.Indent--;
            lines[i] = (start, w.LineCount);
        }
        w.Indent--;
        w.Line("}");
        return (w.ToString(), lines);
    }

    private static Dictionary<int, string> FailedPrograms(IEnumerable<Diagnostic> diagnostics, Dictionary<int, (int Start, int End)> lines)
    {
        var failed = new Dictionary<int, string>();
        foreach (var d in diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            var line = d.Location.GetLineSpan().StartLinePosition.Line;
            foreach (var (index, (start, end)) in lines)
            {
                if (line < start || line >= end) continue;
                failed[index] = (failed.TryGetValue(index, out var previous) ? previous + "\n" : "") + $"line {line - start}: {d.Id} {d.GetMessage()}";
            }
        }
        return failed;
    }
}
