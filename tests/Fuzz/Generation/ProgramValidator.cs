namespace Dsl.Fuzz.Generation;

/// <summary>
/// Checks the invariants the generator keeps and shrinking must not break: variables are read only where they
/// are in scope, assigned only where assignable (never loop variables or arrays), the body ends in a return,
/// and no constant-folding operator has only constant operands.
/// </summary>
public static class ProgramValidator
{
    public static bool IsWellFormed(FuzzProgram program)
    {
        if (program.Body.Statements.Length == 0 || program.Body.Statements[^1] is not Return) return false;
        var scope = new Scope();
        foreach (var p in program.Parameters) scope.Add(new Variable(p.Name, p.Type, !p.Type.IsArray, 0));
        return Check(program.Body, scope, null);
    }

    private static bool Check(Block block, Scope scope, Action<Scope>? declare)
    {
        scope.Push();
        declare?.Invoke(scope);
        try
        {
            foreach (var s in block.Statements)
            {
                if (!ProgramWalk.Expressions(s).All(e => Check(e, scope))) return false;
                switch (s)
                {
                    case Declare d:
                        scope.Add(new Variable(d.Name, d.Type, true, 0));
                        break;
                    case Assign a when scope.Find(a.Name) is not { Assignable: true } target || target.Type != a.Value.Type:
                        return false;
                    case For f when !Check(f.Body, scope, sc => sc.Add(new Variable(f.Variable, FuzzType.Int, false, 0))):
                        return false;
                    case Foreach f when !Check(f.Body, scope, sc => sc.Add(new Variable(f.Variable, f.Array.Type.Element, false, 0))):
                        return false;
                    case If i when !Check(i.Then, scope, null) || i.Else is not null && !Check(i.Else, scope, null):
                        return false;
                    case Checked c when !Check(c.Body, scope, null):
                        return false;
                    case Switch sw when !sw.Cases.All(c => Check(c.Body, scope, null)) || !Check(sw.Default, scope, null):
                        return false;
                }
            }
            return true;
        }
        finally
        {
            scope.Pop();
        }
    }

    private static bool Check(Expr e, Scope scope) => e switch
    {
        VarRef v => scope.Find(v.Name) is { } found && found.Type == v.Type,
        Op { Folds: true } op when op.Args.Length > 0 && op.Args.All(a => a.IsConstant) => false,
        _ => e.Children.All(c => Check(c, scope)),
    };
}
