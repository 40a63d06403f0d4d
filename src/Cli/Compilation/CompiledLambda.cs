using System.Reflection;

namespace Dsl.Cli.Compilation;

/// <summary>One parameter of the user's lambda: its name and CLR type.</summary>
internal sealed record LambdaParameter(string Name, Type Type);

/// <summary>
/// The user's lambda compiled by Roslyn: the delegate (ordinary IL, not an expression tree), its
/// signature, and where its assembly and portable PDB live (the PDB maps IL offsets to the user's text).
/// </summary>
internal sealed class CompiledLambda
{
    public CompiledLambda(string sourceName, Delegate function, string assemblyPath)
    {
        SourceName = sourceName;
        Function = function;
        AssemblyPath = assemblyPath;
        Parameters = function.Method.GetParameters().Select(p => new LambdaParameter(p.Name ?? $"arg{p.Position}", p.ParameterType)).ToList();
        ReturnType = function.Method.ReturnType;
    }

    /// <summary>How the text is named in messages: <c>lambda.cs</c> for <c>-e</c>, the path for <c>-f</c>.</summary>
    public string SourceName { get; }

    public Delegate Function { get; }

    /// <summary>The compiled assembly; its portable PDB sits beside it with the same name.</summary>
    public string AssemblyPath { get; }

    public MethodInfo Method => Function.Method;

    public IReadOnlyList<LambdaParameter> Parameters { get; }

    public Type ReturnType { get; }

    /// <summary>
    /// A fallback reason with the compiler-generated name of the lambda's method
    /// (<c>&lt;&gt;c.&lt;.cctor&gt;b__1_0</c>) replaced by "the lambda".
    /// </summary>
    public string? Describe(string? reason) =>
        reason?.Replace($"{Method.DeclaringType?.Name}.{Method.Name}", "the lambda", StringComparison.Ordinal);
}
