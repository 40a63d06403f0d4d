using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Dsl.Cli.Compilation;

/// <summary>One parameter of the user's lambda: its name and CLR type.</summary>
internal sealed record LambdaParameter(string Name, Type Type);

/// <summary>A location in the user's text (1-based line and column).</summary>
internal sealed record SourceLocation(string SourceName, int Line, int Column)
{
    public override string ToString() => $"{SourceName}:{Line}:{Column}";
}

/// <summary>
/// The user's lambda compiled by Roslyn into an in-memory assembly: the delegate (ordinary IL, not an
/// expression tree), its signature, and the portable PDB that maps IL offsets back to the user's text.
/// </summary>
internal sealed class CompiledLambda
{
    private readonly byte[] _pdb;

    public CompiledLambda(string sourceName, Delegate function, byte[] pdb)
    {
        SourceName = sourceName;
        Function = function;
        _pdb = pdb;
        Parameters = function.Method.GetParameters().Select(p => new LambdaParameter(p.Name ?? $"arg{p.Position}", p.ParameterType)).ToList();
        ReturnType = function.Method.ReturnType;
    }

    /// <summary>How the text is named in messages: <c>lambda.cs</c> for <c>-e</c>, the path for <c>-f</c>.</summary>
    public string SourceName { get; }

    public Delegate Function { get; }

    public MethodInfo Method => Function.Method;

    public IReadOnlyList<LambdaParameter> Parameters { get; }

    public Type ReturnType { get; }

    /// <summary>
    /// The user's line and column of the statement that contains <paramref name="ilOffset"/> in the lambda's
    /// body (the last visible sequence point at or before it), or null when the PDB has none.
    /// </summary>
    public SourceLocation? Locate(int ilOffset, MethodBase? method = null)
    {
        method ??= Method;
        if (method.Module.Assembly != Method.Module.Assembly) return null;
        using var provider = MetadataReaderProvider.FromPortablePdbImage(System.Collections.Immutable.ImmutableArray.Create(_pdb));
        var reader = provider.GetMetadataReader();
        var handle = MetadataTokens.MethodDebugInformationHandle(MetadataTokens.GetRowNumber(MetadataTokens.MethodDefinitionHandle(method.MetadataToken)));
        SequencePoint? best = null;
        foreach (var point in reader.GetMethodDebugInformation(handle).GetSequencePoints())
        {
            if (point.IsHidden || point.Offset > ilOffset) continue;
            if (best is null || point.Offset >= best.Value.Offset) best = point;
        }
        return best is { } found ? new SourceLocation(SourceName, found.StartLine, found.StartColumn) : null;
    }
}
