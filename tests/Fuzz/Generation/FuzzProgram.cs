namespace Dsl.Fuzz.Generation;

/// <summary>A parameter of a generated resolver.</summary>
public sealed record Parameter(string Name, FuzzType Type);

/// <summary>
/// A generated resolver: typed parameters, a return type and a statement body that ends in a return. It renders
/// as a C# statement lambda with explicitly typed parameters, the way a user writes a feature.
/// </summary>
public sealed record FuzzProgram(Parameter[] Parameters, FuzzType ReturnType, Block Body)
{
    /// <summary><c>Func&lt;double, long?, string, double?&gt;</c></summary>
    public string DelegateType => $"Func<{string.Join(", ", Parameters.Select(p => p.Type.CSharp).Append(ReturnType.CSharp))}>";

    /// <summary>The lambda as source text, e.g. <c>(double p0, long? p1) =&gt; { … }</c>.</summary>
    public string RenderLambda(int indent = 0)
    {
        var w = new SourceWriter { Indent = indent };
        RenderLambda(w);
        return w.ToString();
    }

    /// <summary>Writes the lambda's header line, then its body block.</summary>
    public void RenderLambda(SourceWriter w)
    {
        w.Line($"({string.Join(", ", Parameters.Select(p => $"{p.Type.CSharp} {p.Name}"))}) =>");
        Body.Render(w);
    }

    /// <summary>The constructs the program uses, each once.</summary>
    public IReadOnlySet<Construct> Constructs
    {
        get
        {
            var found = new HashSet<Construct>();
            Collect(Body, topLevel: true, found);
            return found;
        }
    }

    /// <summary>Number of statements and expression nodes: the measure shrinking reduces.</summary>
    public int Size => ProgramWalk.Statements(Body).Count() + ProgramWalk.Statements(Body).Sum(s => ProgramWalk.Expressions(s).Sum(ExprSize));

    private static int ExprSize(Expr e) => 1 + e.Children.Sum(ExprSize);

    private static void Collect(Block block, bool topLevel, HashSet<Construct> found)
    {
        for (var i = 0; i < block.Statements.Length; i++)
        {
            var s = block.Statements[i];
            switch (s)
            {
                case Declare: found.Add(Construct.LocalDeclaration); break;
                case Assign a: found.Add(a.CompoundOperator is null ? Construct.LocalReassign : Construct.CompoundAssignment); break;
                case Return when !(topLevel && i == block.Statements.Length - 1): found.Add(Construct.EarlyReturn); break;
                case If: found.Add(Construct.IfElse); break;
                case For: found.Add(Construct.ForLoop); break;
                case Foreach: found.Add(Construct.ForeachFold); break;
                case Checked: found.Add(Construct.CheckedBlock); break;
                case Switch: found.Add(Construct.SwitchStatement); break;
            }
            foreach (var e in ProgramWalk.Expressions(s)) CollectExpr(e, found);
            foreach (var child in ProgramWalk.ChildBlocks(s)) Collect(child, topLevel: false, found);
        }
    }

    private static void CollectExpr(Expr e, HashSet<Construct> found)
    {
        if (e is Op op) found.Add(op.Tag);
        if (e is Literal { Tag: { } tag }) found.Add(tag);
        foreach (var c in e.Children) CollectExpr(c, found);
    }
}

/// <summary>Structural walks over a program's statements and their direct expressions.</summary>
public static class ProgramWalk
{
    /// <summary>The expressions a statement holds directly (not those of nested blocks).</summary>
    public static IEnumerable<Expr> Expressions(Stmt s) => s switch
    {
        Declare d => [d.Init],
        Assign a => [a.Value],
        Return r => [r.Value],
        If i => [i.Condition],
        Foreach f => [f.Array],
        Switch sw => [sw.Subject],
        _ => [],
    };

    public static IEnumerable<Block> ChildBlocks(Stmt s) => s switch
    {
        If { Else: null } i => [i.Then],
        If i => [i.Then, i.Else!],
        For f => [f.Body],
        Foreach f => [f.Body],
        Checked c => [c.Body],
        Switch sw => sw.Cases.Select(c => c.Body).Append(sw.Default),
        _ => [],
    };

    /// <summary>Every statement, depth first.</summary>
    public static IEnumerable<Stmt> Statements(Block block) =>
        block.Statements.SelectMany(s => ChildBlocks(s).SelectMany(Statements).Prepend(s));
}
