namespace Dsl.Fuzz.Generation;

/// <summary>
/// A typed expression of a generated resolver. Every node knows its static type, so a generated program is
/// well-typed by construction, and renders itself as C# source.
/// </summary>
public abstract record Expr(FuzzType Type)
{
    /// <summary>Whether C# treats the expression as a compile-time constant (and so folds and checks it).</summary>
    public abstract bool IsConstant { get; }

    public abstract IReadOnlyList<Expr> Children { get; }

    /// <summary>The same node over other children (same count and types), used by shrinking.</summary>
    public abstract Expr WithChildren(IReadOnlyList<Expr> children);

    public abstract string Render();
}

/// <summary>A literal in C# spelling (<c>1.5d</c>, <c>"a@b"</c>, <c>((int?)null)</c>), constant or not.</summary>
public sealed record Literal(FuzzType Type, string Text, bool Constant, Construct? Tag = null) : Expr(Type)
{
    public override bool IsConstant => Constant;
    public override IReadOnlyList<Expr> Children => [];
    public override Expr WithChildren(IReadOnlyList<Expr> children) => this;
    public override string Render() => Text;
}

/// <summary>A read of a parameter or local.</summary>
public sealed record VarRef(FuzzType Type, string Name) : Expr(Type)
{
    public override bool IsConstant => false;
    public override IReadOnlyList<Expr> Children => [];
    public override Expr WithChildren(IReadOnlyList<Expr> children) => this;
    public override string Render() => Name;
}

/// <summary>
/// An operator, call or special form written as a format string over its operands: <c>({0} + {1})</c>,
/// <c>Math.Max({0}, {1})</c>, <c>({0} switch {{ 1 =&gt; {1}, _ =&gt; {2} }})</c>. <paramref name="Folds"/> says
/// C# constant-folds it when all operands are constants; the generator never builds such a node from constants
/// only (C# would reject <c>1 / 0</c> or <c>int.MaxValue + 1</c> at compile time).
/// </summary>
public sealed record Op(FuzzType Type, Construct Tag, string Format, Expr[] Args, bool Folds = false) : Expr(Type)
{
    public override bool IsConstant => Folds && Args.All(a => a.IsConstant);
    public override IReadOnlyList<Expr> Children => Args;
    public override Expr WithChildren(IReadOnlyList<Expr> children) => this with { Args = [.. children] };
    public override string Render() => string.Format(System.Globalization.CultureInfo.InvariantCulture, Format, Args.Select(a => (object)a.Render()).ToArray());
}
