using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Features;

/// <summary>
/// Turns an <c>_</c>-style expression <c>_ =&gt; _.Subtotal &gt; 1000</c> into a function of its features,
/// <c>(double Subtotal) =&gt; Subtotal &gt; 1000</c>: every <c>_.Property</c> becomes a parameter named after
/// the property (one per property, in order of first use). <c>F.Now</c> becomes the parameter named
/// <see cref="Feature.NowName"/>; <c>F.Window</c> becomes the window's duration in a windowed definition.
/// </summary>
/// <remarks>Invariant: the result does not mention the row parameter; any other use of it is rejected.</remarks>
internal sealed class RowAccessRewriter : Lowering.Ir.MemoizingVisitor
{
    private static readonly MemberInfo s_now = typeof(F).GetProperty(nameof(F.Now))!;
    private static readonly MemberInfo s_window = typeof(F).GetProperty(nameof(F.Window))!;
    private readonly ParameterExpression _row;
    private readonly TimeSpan? _window;
    private readonly List<ParameterExpression> _features = [];

    private RowAccessRewriter(ParameterExpression row, TimeSpan? window)
    {
        _row = row;
        _window = window;
    }

    /// <summary>The rewritten lambda, or null with <paramref name="misuse"/> when the row is used other than by reading a property.</summary>
    public static LambdaExpression? Rewrite(LambdaExpression definition, out string? misuse, TimeSpan? window = null)
    {
        var rewriter = new RowAccessRewriter(definition.Parameters[0], window);
        var body = rewriter.Visit(definition.Body);
        misuse = rewriter._misuse;
        return misuse is null ? Expression.Lambda(body, rewriter._features) : null;
    }

    private string? _misuse;

    protected override Expression VisitMember(MemberExpression node)
    {
        if (node.Expression is null && node.Member == s_now) return Parameter(Feature.NowName, typeof(DateTime));
        if (node.Expression is null && node.Member == s_window)
        {
            if (_window is { } window) return Expression.Constant(window);
            _misuse ??= "F.Window is only meaningful in a windowed definition (FeatureSetBuilder.Windowed)";
            return node;
        }

        if (node.Expression != _row) return base.VisitMember(node);
        if (node.Member is not PropertyInfo property)
        {
            _misuse ??= $"'{_row.Name}.{node.Member.Name}' is not a property";
            return node;
        }
        return Parameter(property.Name, property.PropertyType);
    }

    private ParameterExpression Parameter(string name, Type type)
    {
        var parameter = _features.FirstOrDefault(p => p.Name == name);
        if (parameter is null)
        {
            parameter = Expression.Parameter(type, name);
            _features.Add(parameter);
        }

        return parameter;
    }

    protected override Expression VisitParameter(ParameterExpression node)
    {
        if (node == _row) _misuse ??= $"the row '{_row.Name}' is used other than by reading its properties (write {_row.Name}.Property)";
        return node;
    }
}
