using System.Reflection;
using System.Security.Cryptography;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;

namespace Dsl.Cli.Compilation;

/// <summary>
/// Compiles one C# lambda with explicitly typed parameters (expression- or statement-bodied) into an
/// ordinary delegate, in an assembly with a portable PDB.
/// </summary>
/// <remarks>
/// The lambda is placed in <c>public static class UserCode { public static readonly Delegate Lambda = …; }</c>
/// so the compiler infers its natural delegate type (<c>Func&lt;double, double?, double&gt;</c>) from the
/// parameter types and the body. A <c>#line 1</c> directive before the user's text makes every diagnostic
/// and every PDB sequence point count lines and columns from the user's own first character. Usings:
/// System, System.Linq, System.Collections.Generic; the catalogue is reachable as <c>Dsl.F</c>.
/// </remarks>
internal static class LambdaCompiler
{
    private const string ShapeError = "DSL0001";

    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);

    public static CompiledLambda Compile(string source, string sourceName = "lambda.cs")
    {
        CheckShape(source, sourceName);
        var text = $$"""
            using System;
            using System.Linq;
            using System.Collections.Generic;

            public static class UserCode
            {
                public static readonly Delegate Lambda =
            #line 1 "{{sourceName.Replace("\\", "/", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal)}}"
            {{source}}
            #line default
                ;
            }
            """;
        var tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest), path: "UserCode.cs", encoding: System.Text.Encoding.UTF8);
        var name = "UserCode_" + Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
        var compilation = CSharpCompilation.Create(
            name,
            [tree],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable, deterministic: true));

        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var emitted = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb, pdbFilePath: name + ".pdb"));
        var error = emitted.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .FirstOrDefault();
        if (error is not null) throw ToException(error, sourceName);

        var path = Persist(name, pe.ToArray(), pdb.ToArray());
        var assembly = new AssemblyLoadContext(name, isCollectible: false).LoadFromAssemblyPath(path);
        var field = assembly.GetType("UserCode")!.GetField("Lambda", BindingFlags.Public | BindingFlags.Static)!;
        var function = (Delegate)field.GetValue(null)!;
        if (function.Method.ReturnType == typeof(void))
            throw new LambdaCompilationException(sourceName, 1, 1, ShapeError, "the lambda returns nothing; a feature must return a value");
        return new CompiledLambda(sourceName, function, path);
    }

    /// <summary>Rejects anything but one lambda with typed parameters before compiling, with a precise location.</summary>
    private static void CheckShape(string source, string sourceName)
    {
        var expression = SyntaxFactory.ParseExpression(source);
        var diagnostic = expression.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        if (diagnostic is not null)
            throw At(diagnostic.Location, sourceName, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), diagnostic.Id);
        switch (expression)
        {
            case ParenthesizedLambdaExpressionSyntax lambda:
                var untyped = lambda.ParameterList.Parameters.FirstOrDefault(p => p.Type is null);
                if (untyped is not null)
                    throw At(untyped.GetLocation(), sourceName, $"parameter '{untyped.Identifier.Text}' needs an explicit type, e.g. (double {untyped.Identifier.Text}) => ...");
                return;
            case SimpleLambdaExpressionSyntax simple:
                throw At(simple.Parameter.GetLocation(), sourceName, $"parameter '{simple.Parameter.Identifier.Text}' needs an explicit type, e.g. (double {simple.Parameter.Identifier.Text}) => ...");
            default:
                throw At(expression.GetLocation(), sourceName, "SOURCE must be one C# lambda with explicitly typed parameters, e.g. (double x) => x * 2");
        }
    }

    private static LambdaCompilationException At(Location location, string sourceName, string problem, string id = ShapeError)
    {
        var position = location.GetLineSpan().StartLinePosition;
        return new LambdaCompilationException(sourceName, position.Line + 1, position.Character + 1, id, problem.ReplaceLineEndings(" "));
    }

    private static LambdaCompilationException ToException(Diagnostic diagnostic, string sourceName)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        var position = span.StartLinePosition;
        // Diagnostics outside the user's text (the wrapper) are reported at the start of the lambda.
        var line = span.HasMappedPath ? position.Line + 1 : 1;
        var column = span.HasMappedPath ? position.Character + 1 : 1;
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).ReplaceLineEndings(" ");
        return new LambdaCompilationException(sourceName, line, column, diagnostic.Id, message);
    }

    /// <summary>
    /// Writes the assembly and its PDB under the temp directory, named by the hash of the source (the
    /// compilation is deterministic, so equal names mean equal bytes). Loading from a file lets the CIL
    /// front end find the PDB beside the assembly and report fallback reasons at the user's line.
    /// Files are written under a fresh name and renamed into place, so a concurrent reader never sees half.
    /// </summary>
    private static string Persist(string name, byte[] assembly, byte[] pdb)
    {
        var directory = Path.Combine(Path.GetTempPath(), "dsl-lambdas");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".dll");
        foreach (var (target, bytes) in new[] { (Path.ChangeExtension(path, ".pdb"), pdb), (path, assembly) })
        {
            if (File.Exists(target)) continue;
            var temporary = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, target, overwrite: true);
        }
        return path;
    }

    private static MetadataReference[] LoadReferences()
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                           || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll");
        return platform
            .Append(typeof(F).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    }
}
