using System.Linq.Expressions;
using Dsl.Codegen.Compilation;

namespace Dsl.Codegen.Scalar;

/// <summary>
/// Moves a kernel's text constants out of its row loop: each <see cref="Utf8Text.Of"/>/<see cref="Utf8Text.OfAscii"/>
/// of pinned constant bytes becomes a local assigned once before the loop. Built in the loop, a constant cost every
/// row a load from the closure's constants, a type check of the array and the address arithmetic, at each use (W3's
/// gmail rows built three).
/// </summary>
internal sealed class ConstantTexts : SharingVisitor
{
    private readonly Dictionary<byte[], ParameterExpression> _locals = new(ReferenceEqualityComparer.Instance);
    private readonly List<Expression> _assignments = [];

    /// <summary>The locals that hold the constants.</summary>
    public IEnumerable<ParameterExpression> Variables => _locals.Values;

    /// <summary>The assignments to run once, before the row loop.</summary>
    public IReadOnlyList<Expression> Assignments => _assignments;

    /// <summary>
    /// The pinned bytes of a text constant the rewriter built (<see cref="Utf8Text.Of"/> or, when <paramref name="ascii"/>
    /// is true, only <see cref="Utf8Text.OfAscii"/>), or null when <paramref name="e"/> is not one.
    /// </summary>
    public static byte[]? PinnedBytes(Expression e, bool ascii = false) =>
        e is MethodCallExpression { Arguments: [ConstantExpression { Value: byte[] pinned }] } call && call.Method.DeclaringType == typeof(Utf8Text)
        && (call.Method.Name == nameof(Utf8Text.OfAscii) || !ascii && call.Method.Name == nameof(Utf8Text.Of))
            ? pinned
            : null;

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        if (PinnedBytes(node) is not { } pinned) return base.VisitMethodCall(node);
        if (!_locals.TryGetValue(pinned, out var local))
        {
            local = Expression.Variable(typeof(Utf8Text), $"text{_locals.Count}");
            _locals.Add(pinned, local);
            _assignments.Add(Expression.Assign(local, node));
        }

        return local;
    }
}
