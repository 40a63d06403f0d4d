using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace Dsl.TestSupport.Roslyn;

/// <summary>
/// Compiles one C# lambda (or a class body with helpers) with Roslyn into an in-memory assembly with a
/// portable PDB, in Debug or Release, so tests can lower the IL each configuration produces.
/// </summary>
public static class CSharpLambda
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());

    /// <summary>
    /// Compiles <paramref name="lambda"/> (e.g. <c>(int x) =&gt; x + 1</c>) as <c>Func&lt;...&gt;</c> <paramref name="delegateType"/>;
    /// <paramref name="members"/> may add static helper methods to the same class. The code sees <c>System</c>,
    /// <c>System.Linq</c>, <c>System.Collections.Generic</c> and the related-row types of <see cref="Relations"/>
    /// (<see cref="Relations.Transaction"/>); <paramref name="references"/> adds assemblies whose types it may use.
    /// </summary>
    public static CompiledFunction Compile(string delegateType, string lambda, bool optimize, string members = "", IEnumerable<System.Reflection.Assembly>? references = null)
    {
        var source = $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using Dsl.TestSupport.Relations;
            public static class UserCode
            {
                public static readonly {{delegateType}} Function =
            #line 1 "lambda.cs"
            {{lambda}}
            #line default
                ;
            {{members}}
            }
            """;
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "UserCode.cs", encoding: System.Text.Encoding.UTF8);
        var compilation = CSharpCompilation.Create(
            "UserCode" + Guid.NewGuid().ToString("N"),
            [tree],
            References.Value.Concat(new[] { typeof(CSharpLambda).Assembly }.Concat(references ?? []).Distinct().Select(a => MetadataReference.CreateFromFile(a.Location))),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: optimize ? OptimizationLevel.Release : OptimizationLevel.Debug));
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var emitted = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!emitted.Success)
            throw new InvalidOperationException(string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        pe.Position = 0;
        pdb.Position = 0;
        var assembly = new AssemblyLoadContext("test-user-code", isCollectible: true).LoadFromStream(pe, pdb);
        var function = (Delegate)assembly.GetType("UserCode")!.GetField("Function", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        return new CompiledFunction(function, pdb.ToArray());
    }
}

/// <summary>A delegate compiled by <see cref="CSharpLambda"/> and the portable PDB of its assembly.</summary>
public sealed record CompiledFunction(Delegate Function, byte[] Pdb);
