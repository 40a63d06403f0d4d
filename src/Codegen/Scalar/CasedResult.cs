using System.Linq.Expressions;
using System.Reflection;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen.Scalar;

/// <summary>
/// A row whose result is a case mapping (<c>….ToLowerInvariant()</c> as the last operation, as W3's user name ends)
/// writes the mapped text straight into the output range (<see cref="Utf8Ops.AppendCased"/>) instead of building it
/// in the arena and copying it there: the rewritten body appends the row and returns its validity (true). The mapping
/// goes into each arm of a conditional, and a removal of one ASCII byte right before it (<c>Replace(".", "")</c>) is
/// fused with it (<see cref="Utf8Ops.AppendReplacedCased"/>).
/// </summary>
internal static class CasedResult
{
    private static readonly MethodInfo s_appendCased = typeof(Utf8Ops).GetMethod(nameof(Utf8Ops.AppendCased))!;
    private static readonly MethodInfo s_appendReplacedCased = typeof(Utf8Ops).GetMethod(nameof(Utf8Ops.AppendReplacedCased))!;
    private static readonly MethodInfo s_lower = typeof(Utf8Ops).GetMethod(nameof(Utf8Ops.ToLowerInvariant))!;
    private static readonly MethodInfo s_upper = typeof(Utf8Ops).GetMethod(nameof(Utf8Ops.ToUpperInvariant))!;
    private static readonly MethodInfo s_replace = typeof(Utf8Ops).GetMethod(nameof(Utf8Ops.Replace))!;
    private static readonly MethodInfo s_splitEffect = typeof(Utf8Ops).GetMethod(nameof(Utf8Ops.SplitEffect))!;

    /// <summary>The body appending its result to <paramref name="writer"/>, or null when its last operation is not a case mapping.</summary>
    public static Expression? AppendToOutput(Expression body, ParameterExpression writer)
    {
        if (body is MethodCallExpression call && (call.Method == s_lower || call.Method == s_upper))
            return Append(writer, call.Arguments[0], call.Arguments[1], call.Method == s_upper, fuse: []);

        if (body is not BlockExpression { Expressions.Count: > 0 } block || block.Result is not MethodCallExpression last
            || last.Method != s_lower && last.Method != s_upper)
            return null;
        // The same node evaluated as a statement right before it (a local assigned and returned) adds nothing: drop it.
        var statements = block.Expressions.Take(block.Expressions.Count - 1).ToList();
        while (statements.Count > 0 && ReferenceEquals(statements[^1], last)) statements.RemoveAt(statements.Count - 1);
        var fused = new List<MethodCallExpression>();
        var appended = Append(writer, last.Arguments[0], last.Arguments[1], last.Method == s_upper, fused);
        // A fused removal also evaluated as a statement (`user = user.Replace(".", "")` before `return user.ToLower…`) keeps
        // only what it can throw there, the null check; if its value is used anywhere else, nothing is fused.
        if (fused.Count > 0)
        {
            var discarded = new DiscardedCalls(fused);
            List<Expression> rewritten = [.. statements.Select(discarded.Statement)];
            if (rewritten.Any(statement => Mentions(statement, fused)))
                appended = Append(writer, last.Arguments[0], last.Arguments[1], last.Method == s_upper, fuse: null);
            else
                statements = rewritten;
        }

        return Expression.Block(typeof(bool), block.Variables, [.. statements, appended]);
    }

    /// <summary>
    /// Appends the case mapping of <paramref name="text"/>: into each arm of a conditional (the test runs once, then one
    /// arm, as before), a removal of one ASCII byte fused with the mapping (listed in <paramref name="fuse"/>; none when
    /// it is null), anything else as is.
    /// </summary>
    private static Expression Append(ParameterExpression writer, Expression text, Expression arena, bool upper, List<MethodCallExpression>? fuse) => text switch
    {
        ConditionalExpression branch =>
            Expression.Condition(branch.Test, Append(writer, branch.IfTrue, arena, upper, fuse), Append(writer, branch.IfFalse, arena, upper, fuse), typeof(bool)),
        MethodCallExpression call when fuse is not null && IsByteRemoval(call) =>
            Fused(call, fuse, Expression.Call(s_appendReplacedCased, writer, call.Arguments[0], call.Arguments[1], call.Arguments[2], arena, Expression.Constant(upper))),
        _ => Expression.Call(s_appendCased, writer, text, arena, Expression.Constant(upper)),
    };

    private static Expression Fused(MethodCallExpression removal, List<MethodCallExpression> fused, Expression append)
    {
        fused.Add(removal);
        return append;
    }

    /// <summary>
    /// <c>Replace</c> of a one-byte ASCII constant by nothing: it cannot throw anything but the null check of its text
    /// (its result is never longer), so running it later, fused, throws the same at the same place.
    /// </summary>
    private static bool IsByteRemoval(MethodCallExpression call) =>
        call.Method == s_replace && AsciiConstantLength(call.Arguments[1]) == 1 && AsciiConstantLength(call.Arguments[2]) == 0;

    private static int? AsciiConstantLength(Expression e) =>
        ConstantTexts.PinnedBytes(e, ascii: true) is { } pinned ? IsolatedPinnedBytes.UsableLength(pinned) : null;

    /// <summary>What a fused removal can throw where it stood: the null check of its text.</summary>
    private static Expression NullCheck(MethodCallExpression removal) => Expression.Call(s_splitEffect, removal.Arguments[0]);

    private static bool Mentions(Expression expression, List<MethodCallExpression> nodes)
    {
        var finder = new NodeFinder(nodes);
        finder.Visit(expression);
        return finder.Found;
    }

    /// <summary>Replaces the given calls where their value is discarded (a statement of a block, an arm of a void conditional) by their null check.</summary>
    private sealed class DiscardedCalls(List<MethodCallExpression> calls) : ExpressionVisitor
    {
        /// <summary>A statement of the body's block (its value is discarded).</summary>
        public Expression Statement(Expression statement) => Discarded(statement);

        /// <summary>An expression whose value nothing reads (a block there discards its last expression too).</summary>
        private Expression Discarded(Expression e) => e switch
        {
            MethodCallExpression call when calls.Any(c => ReferenceEquals(c, call)) => NullCheck(call),
            BlockExpression block => Block(block, discardLast: true),
            _ => Visit(e),
        };

        protected override Expression VisitBlock(BlockExpression node) => Block(node, discardLast: node.Type == typeof(void));

        private Expression Block(BlockExpression node, bool discardLast)
        {
            var last = node.Expressions.Count - 1;
            var expressions = node.Expressions.Select((e, i) => i < last || discardLast ? Discarded(e) : Visit(e)).ToList();
            return expressions.SequenceEqual(node.Expressions) ? node : Expression.Block(discardLast ? typeof(void) : node.Type, node.Variables, expressions);
        }

        protected override Expression VisitConditional(ConditionalExpression node)
        {
            if (node.Type != typeof(void)) return base.VisitConditional(node);
            var (test, ifTrue, ifFalse) = (Visit(node.Test), Discarded(node.IfTrue), Discarded(node.IfFalse));
            return test == node.Test && ifTrue == node.IfTrue && ifFalse == node.IfFalse ? node : Expression.Condition(test, ifTrue, ifFalse, typeof(void));
        }
    }

    private sealed class NodeFinder(List<MethodCallExpression> nodes) : ExpressionVisitor
    {
        public bool Found { get; private set; }

        public override Expression? Visit(Expression? node)
        {
            if (node is MethodCallExpression call && nodes.Any(n => ReferenceEquals(n, call))) Found = true;
            return Found ? node : base.Visit(node);
        }
    }
}
