namespace Dsl.Fuzz.Generation;

/// <summary>
/// Shrinks a program by editing its AST, never its text: drop a statement, inline a nested block in place of
/// its if/loop/switch/checked, drop an unused parameter, replace an expression by a same-typed operand or by a
/// simple literal. Candidates come largest-reduction first, and only well-formed ones are offered
/// (<see cref="ProgramValidator"/>): every variable read is in scope, every assignment target assignable, no
/// constant-only operator that C# would reject.
/// </summary>
public static class ProgramShrinker
{
    public static IEnumerable<FuzzProgram> Shrink(FuzzProgram program) =>
        Candidates(program).Where(ProgramValidator.IsWellFormed);

    /// <summary>
    /// Greedy minimisation, as FsCheck does it: move to the first candidate that still fails, until none does.
    /// Used where a failure is found outside FsCheck's own loop (the long mode's mismatches).
    /// </summary>
    public static FuzzProgram Minimize(FuzzProgram program, Func<FuzzProgram, bool> fails, int maxSteps = 2_000)
    {
        for (var step = 0; step < maxSteps; step++)
        {
            var next = Shrink(program).FirstOrDefault(fails);
            if (next is null) return program;
            program = next;
        }
        return program;
    }

    private static IEnumerable<FuzzProgram> Candidates(FuzzProgram program)
    {
        foreach (var body in StatementEdits(program.Body)) yield return program with { Body = body };
        var used = UsedNames(program.Body);
        for (var i = 0; i < program.Parameters.Length; i++)
        {
            if (program.Parameters.Length > 1 && !used.Contains(program.Parameters[i].Name))
                yield return program with { Parameters = [.. program.Parameters.Where((_, k) => k != i)] };
        }
        foreach (var body in ExpressionEdits(program.Body)) yield return program with { Body = body };
    }

    /// <summary>Removals and inlinings of statements, outermost first.</summary>
    private static IEnumerable<Block> StatementEdits(Block block)
    {
        var statements = block.Statements;
        // At top level the body must still end in a return: the validator rejects candidates that do not.
        for (var i = 0; i < statements.Length; i++) yield return new Block([.. statements.Take(i), .. statements.Skip(i + 1)]);
        for (var i = 0; i < statements.Length; i++)
        {
            foreach (var inner in ProgramWalk.ChildBlocks(statements[i]))
                yield return new Block([.. statements.Take(i), .. inner.Statements, .. statements.Skip(i + 1)]);
        }
        for (var i = 0; i < statements.Length; i++)
        {
            foreach (var edited in NestedStatementEdits(statements[i]))
                yield return new Block([.. statements.Take(i), edited, .. statements.Skip(i + 1)]);
        }
    }

    private static IEnumerable<Stmt> NestedStatementEdits(Stmt s)
    {
        switch (s)
        {
            case If i:
                if (i.Else is not null) yield return i with { Else = null };
                foreach (var b in StatementEdits(i.Then)) yield return i with { Then = b };
                if (i.Else is not null)
                    foreach (var b in StatementEdits(i.Else)) yield return i with { Else = b };
                break;
            case For f:
                if (f.Count > 1) yield return f with { Count = 1 };
                foreach (var b in StatementEdits(f.Body)) yield return f with { Body = b };
                break;
            case Foreach f:
                foreach (var b in StatementEdits(f.Body)) yield return f with { Body = b };
                break;
            case Checked c:
                foreach (var b in StatementEdits(c.Body)) yield return c with { Body = b };
                break;
            case Switch sw:
                for (var k = 0; k < sw.Cases.Length; k++) yield return sw with { Cases = [.. sw.Cases.Where((_, j) => j != k)] };
                foreach (var b in StatementEdits(sw.Default)) yield return sw with { Default = b };
                for (var k = 0; k < sw.Cases.Length; k++)
                {
                    foreach (var b in StatementEdits(sw.Cases[k].Body))
                    {
                        var cases = sw.Cases.ToArray();
                        cases[k] = (cases[k].Label, b);
                        yield return sw with { Cases = cases };
                    }
                }
                break;
        }
    }

    /// <summary>Expression edits anywhere in the body, statement by statement.</summary>
    private static IEnumerable<Block> ExpressionEdits(Block block)
    {
        var statements = block.Statements;
        for (var i = 0; i < statements.Length; i++)
        {
            foreach (var edited in ExpressionEdits(statements[i]))
                yield return new Block([.. statements.Take(i), edited, .. statements.Skip(i + 1)]);
        }
    }

    private static IEnumerable<Stmt> ExpressionEdits(Stmt s)
    {
        switch (s)
        {
            case Declare d: foreach (var e in Shrink(d.Init)) yield return d with { Init = e }; break;
            case Assign a: foreach (var e in Shrink(a.Value)) yield return a with { Value = e }; break;
            case Return r: foreach (var e in Shrink(r.Value)) yield return r with { Value = e }; break;
            case If i:
                foreach (var e in Shrink(i.Condition)) yield return i with { Condition = e };
                foreach (var b in ExpressionEdits(i.Then)) yield return i with { Then = b };
                if (i.Else is not null)
                    foreach (var b in ExpressionEdits(i.Else)) yield return i with { Else = b };
                break;
            case For f: foreach (var b in ExpressionEdits(f.Body)) yield return f with { Body = b }; break;
            case Foreach f: foreach (var b in ExpressionEdits(f.Body)) yield return f with { Body = b }; break;
            case Checked c: foreach (var b in ExpressionEdits(c.Body)) yield return c with { Body = b }; break;
            case Switch sw:
                foreach (var e in Shrink(sw.Subject)) yield return sw with { Subject = e };
                foreach (var b in ExpressionEdits(sw.Default)) yield return sw with { Default = b };
                break;
        }
    }

    /// <summary>Same-typed operands first, then a simple literal, then edits inside operands.</summary>
    public static IEnumerable<Expr> Shrink(Expr e)
    {
        foreach (var child in e.Children)
            if (child.Type == e.Type) yield return child;
        if (e is not Literal && SimpleLiteral(e.Type) is { } simple) yield return simple;
        for (var i = 0; i < e.Children.Count; i++)
        {
            foreach (var smaller in Shrink(e.Children[i]))
            {
                var children = e.Children.ToArray();
                children[i] = smaller;
                yield return e.WithChildren(children);
            }
        }
    }

    private static Literal? SimpleLiteral(FuzzType type) => type.Nullable
        ? new Literal(type, $"(({type.CSharp})null)", Constant: false, Construct.NullableLiteral)
        : type.Base switch
        {
            BaseType.Double => new Literal(type, "0.0", true),
            BaseType.Float => new Literal(type, "0f", true),
            BaseType.Int => new Literal(type, "0", true),
            BaseType.Long => new Literal(type, "0L", true),
            BaseType.Bool => new Literal(type, "false", true),
            BaseType.String => new Literal(type, "\"\"", true),
            _ => null,
        };

    private static HashSet<string> UsedNames(Block body)
    {
        var names = new HashSet<string>();
        foreach (var s in ProgramWalk.Statements(body))
        {
            if (s is Assign a) names.Add(a.Name);
            foreach (var e in ProgramWalk.Expressions(s)) AddNames(e, names);
        }
        return names;
    }

    private static void AddNames(Expr e, HashSet<string> names)
    {
        if (e is VarRef v) names.Add(v.Name);
        foreach (var c in e.Children) AddNames(c, names);
    }
}
