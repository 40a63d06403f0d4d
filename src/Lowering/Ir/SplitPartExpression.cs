using System.Linq.Expressions;

namespace Dsl.Lowering.Ir;

/// <summary>
/// One part of a split string, <c>text.Split(separator, ...)[index]</c>, so that a code generator can find
/// the part without allocating the array.
/// </summary>
/// <remarks>
/// Invariant: <see cref="Split"/> is a call of one of <see cref="string"/>'s <c>Split</c> overloads (ordinal);
/// the node's value is element <see cref="Index"/> of its result, and <see cref="Reduce"/> is exactly that
/// <c>ArrayIndex</c>: a null text throws <see cref="NullReferenceException"/>, an index outside the parts throws
/// <see cref="IndexOutOfRangeException"/>.
/// </remarks>
internal sealed class SplitPartExpression : Expression
{
    public SplitPartExpression(MethodCallExpression split, Expression index)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(index);
        if (split.Method.DeclaringType != typeof(string) || split.Method.Name != nameof(string.Split))
            throw new ArgumentException($"Expected a call of string.Split, not {split.Method}.", nameof(split));
        if (index.Type != typeof(int)) throw new ArgumentException("The part index must be an int.", nameof(index));
        Split = split;
        Index = index;
    }

    /// <summary>The <c>string.Split</c> call.</summary>
    public MethodCallExpression Split { get; }

    /// <summary>The string split (the call's instance).</summary>
    public Expression Text => Split.Object!;

    public Expression Index { get; }

    public override Type Type => typeof(string);

    public override ExpressionType NodeType => ExpressionType.Extension;

    public override bool CanReduce => true;

    public override Expression Reduce() => ArrayIndex(Split, Index);

    protected override Expression VisitChildren(ExpressionVisitor visitor)
    {
        var split = visitor.Visit(Split);
        var index = visitor.Visit(Index);
        if (split == Split && index == Index) return this;
        return split is MethodCallExpression call ? new SplitPartExpression(call, index) : ArrayIndex(split, index);
    }

    public override string ToString() => $"{Split}[{Index}]";
}
