using System.Linq.Expressions;

namespace Dsl.Codegen.Aggregation;

/// <summary>
/// Runs a piece of a kernel — the hot loop over the related rows — as a separately compiled method. The JIT keeps a
/// method's locals in memory, not registers, once the method has many locals and exception handlers (the kernel's
/// prologue and finish catch per parent); the loop on its own, without them, gets registers. The locals the piece
/// shares with the kernel are passed in once per call (boxed in an array), so a local the piece assigns is not seen by
/// the kernel after the call: the scans assign only scratch locals (row, parent, event time), which the kernel
/// assigns again before reading them; the state they update lives in arrays, which are shared by reference.
/// </summary>
internal static class ScanMethod
{
    /// <summary>An expression that calls <paramref name="body"/>, compiled on its own, with the kernel's locals it reads.</summary>
    public static Expression Call(Expression body, string name)
    {
        var shared = FreeVariablesOf(body);
        var arguments = Expression.Parameter(typeof(object[]), "shared");
        var loads = shared.Select((v, k) => (Expression)Expression.Assign(v, Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(k)), v.Type)));
        var method = Expression.Lambda<Action<object[]>>(Expression.Block(typeof(void), shared, loads.Append(body)), name, [arguments]).Compile();
        return Expression.Invoke(Expression.Constant(method), Expression.NewArrayInit(typeof(object), shared.Select(v => Expression.Convert(v, typeof(object)))));
    }

    /// <summary>The variables <paramref name="body"/> reads or writes that it does not declare: the kernel's locals it uses.</summary>
    public static ParameterExpression[] FreeVariablesOf(Expression body) => FreeVariables.Of(body);

    /// <summary>The variables an expression reads or writes that it does not declare (in a block, a catch or a lambda).</summary>
    private sealed class FreeVariables : ExpressionVisitor
    {
        private readonly HashSet<ParameterExpression> _declared = [];
        private readonly List<ParameterExpression> _used = [];
        private readonly HashSet<ParameterExpression> _seen = [];

        public static ParameterExpression[] Of(Expression body)
        {
            var visitor = new FreeVariables();
            visitor.Visit(body);
            return visitor._used.Where(v => !visitor._declared.Contains(v)).ToArray();
        }

        protected override Expression VisitBlock(BlockExpression node)
        {
            _declared.UnionWith(node.Variables);
            return base.VisitBlock(node);
        }

        protected override CatchBlock VisitCatchBlock(CatchBlock node)
        {
            if (node.Variable is not null) _declared.Add(node.Variable);
            return base.VisitCatchBlock(node);
        }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            _declared.UnionWith(node.Parameters);
            return base.VisitLambda(node);
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (_seen.Add(node)) _used.Add(node);
            return node;
        }

        protected override Expression VisitExtension(Expression node) => node.CanReduce ? Visit(node.Reduce()) : node;
    }
}
