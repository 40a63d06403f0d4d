namespace Dsl.Fuzz.Generation;

public sealed partial class ProgramGenerator
{
    private enum StatementKind { Declare, Assign, If, EarlyReturn, For, Foreach, Checked, Switch }

    /// <summary>One statement, or a few (a fold declares its accumulator before the loop).</summary>
    private IEnumerable<Stmt> Statement(int depth)
    {
        var kinds = new List<(StatementKind, int)> { (StatementKind.Declare, 5), (StatementKind.EarlyReturn, 2) };
        if (AssignableVariables().Count > 0) kinds.Add((StatementKind.Assign, 4));
        if (depth > 0)
        {
            kinds.Add((StatementKind.If, 4));
            kinds.Add((StatementKind.Checked, 1));
            kinds.Add((StatementKind.Switch, 1));
            if (_loopDepth < 2) kinds.Add((StatementKind.For, 1));
            if (_loopDepth < 2 && _scope.All.Any(v => v.Type.IsArray)) kinds.Add((StatementKind.Foreach, 2));
        }
        switch (Pick(kinds.ToArray()))
        {
            case StatementKind.Declare:
                return [Declare(Pick(s_localTypes))];
            case StatementKind.Assign:
                return [Assignment()];
            case StatementKind.If:
                return [new If(Expression(FuzzType.Bool, _expressionDepth), Block(depth - 1), Chance(0.6) ? Block(depth - 1) : null)];
            case StatementKind.EarlyReturn:
                return [new If(Expression(FuzzType.Bool, _expressionDepth), new Block([new Return(Expression(_returnType, _expressionDepth))]), null)];
            case StatementKind.For:
                return [Loop(depth)];
            case StatementKind.Foreach:
                return Fold(depth);
            case StatementKind.Checked:
                return [new Checked(Block(depth - 1))];
            default:
                return [SwitchStatement(depth)];
        }
    }

    /// <summary>A nested block with its own scope; sometimes it ends in a return.</summary>
    private Block Block(int depth, Action? declare = null)
    {
        _scope.Push();
        declare?.Invoke();
        var statements = new List<Stmt>();
        var count = 1 + _random.Next(Math.Max(1, _statements / 2));
        for (var i = 0; i < count; i++) statements.AddRange(Statement(depth));
        if (Chance(0.15)) statements.Add(new Return(Expression(_returnType, _expressionDepth)));
        _scope.Pop();
        return new Block([.. statements]);
    }

    private Declare Declare(FuzzType type)
    {
        var init = Expression(type, _expressionDepth);
        var name = FreshName("v");
        _scope.Add(new Variable(name, type, Assignable: true, _loopDepth));
        return new Declare(type, name, init);
    }

    /// <summary>Variables that may be assigned here: not loop variables, and no outer string inside a loop.</summary>
    private List<Variable> AssignableVariables() =>
        _scope.All.Where(v => v.Assignable && !(v.Type == FuzzType.String && v.LoopDepth < _loopDepth)).ToList();

    private Assign Assignment()
    {
        var target = Pick(AssignableVariables());
        var t = target.Type;
        if (Chance(0.35) && (t.IsNumeric && !t.Nullable || t == FuzzType.String))
        {
            var op = t == FuzzType.String ? "+" : Pick(t.IsInteger ? ["+", "-", "*", "/", "%"] : new[] { "+", "-", "*", "/" });
            return new Assign(target.Name, Expression(t, _expressionDepth), op);
        }
        return new Assign(target.Name, Expression(t, _expressionDepth));
    }

    private For Loop(int depth)
    {
        var name = FreshName("i");
        _loopDepth++;
        var body = Block(depth - 1, () => _scope.Add(new Variable(name, FuzzType.Int, Assignable: false, _loopDepth)));
        _loopDepth--;
        return new For(name, 1 + _random.Next(4), body);
    }

    /// <summary><c>T acc = …; foreach (var x in array) { acc = acc ⊕ x; … }</c></summary>
    private IEnumerable<Stmt> Fold(int depth)
    {
        var array = Pick(_scope.All.Where(v => v.Type.IsArray).ToList());
        var element = array.Type.Element;
        var accumulator = Declare(element);
        var name = FreshName("x");
        _loopDepth++;
        var body = Block(depth - 1, () => _scope.Add(new Variable(name, element, Assignable: false, _loopDepth)));
        _loopDepth--;
        var op = Pick(["+", "*", "-"]);
        var step = Chance(0.5)
            ? new Assign(accumulator.Name, new VarRef(element, name), op)
            : new Assign(accumulator.Name, new Op(element, Construct.MathCall, "Math.Max({0}, {1})", [new VarRef(element, accumulator.Name), new VarRef(element, name)]));
        return [accumulator, new Foreach(name, new VarRef(array.Type, array.Name), body with { Statements = [step, .. body.Statements] })];
    }

    private Switch SwitchStatement(int depth)
    {
        var subjectType = Pick([FuzzType.Int, FuzzType.Long, FuzzType.String]);
        var subject = NonConstant(Expression(subjectType, _expressionDepth));
        var labels = DistinctLiterals(subjectType, 1 + _random.Next(3));
        var cases = labels.Select(label => (label, Block(depth - 1))).ToArray();
        return new Switch(subject, cases, Block(depth - 1));
    }
}
