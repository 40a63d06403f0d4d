using System.Linq.Expressions;
using System.Reflection;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen.Scalar;

/// <summary>
/// A row whose result is a case mapping (<c>….ToLowerInvariant()</c> as the last operation, as W3's user name ends)
/// writes the mapped text straight into the output range (<see cref="Utf8Ops.AppendCased"/>) instead of building it
/// in the arena and copying it there: the rewritten body appends the row and returns its validity (true).
/// </summary>
internal static class CasedResult
{
    private static readonly MethodInfo s_appendCased = typeof(Utf8Ops).GetMethod(nameof(Utf8Ops.AppendCased))!;
    private static readonly MethodInfo s_lower = typeof(Utf8Ops).GetMethod(nameof(Utf8Ops.ToLowerInvariant))!;
    private static readonly MethodInfo s_upper = typeof(Utf8Ops).GetMethod(nameof(Utf8Ops.ToUpperInvariant))!;

    /// <summary>The body appending its result to <paramref name="writer"/>, or null when its last operation is not a case mapping.</summary>
    public static Expression? AppendToOutput(Expression body, ParameterExpression writer)
    {
        if (body is MethodCallExpression call && (call.Method == s_lower || call.Method == s_upper))
            return Expression.Call(s_appendCased, writer, call.Arguments[0], call.Arguments[1], Expression.Constant(call.Method == s_upper));
        if (body is not BlockExpression { Expressions.Count: > 0 } block || block.Result is not MethodCallExpression last
            || AppendToOutput(last, writer) is not { } append)
            return null;
        // The same node evaluated as a statement right before it (a local assigned and returned) adds nothing: drop it.
        var statements = block.Expressions.Take(block.Expressions.Count - 1).ToList();
        while (statements.Count > 0 && ReferenceEquals(statements[^1], last)) statements.RemoveAt(statements.Count - 1);
        return Expression.Block(typeof(bool), block.Variables, [.. statements, append]);
    }
}
