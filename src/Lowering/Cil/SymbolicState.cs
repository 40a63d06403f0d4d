using System.Linq.Expressions;
using Dsl.Lowering.Analyses;

namespace Dsl.Lowering.Cil;

/// <summary>
/// The symbolic machine state on one path through a method: an IR expression (over the function's
/// parameters) for every argument, local and evaluation-stack slot, the path facts, and the history of
/// possibly-throwing evaluations. Locals and arguments hold values of their declared types; stack slots
/// hold "stack-normal" values (small integers and enums widened to <c>int</c>/<c>long</c>, as in IL).
/// </summary>
internal sealed class SymbolicState
{
    public SymbolicState(Expression[] arguments, Expression[] locals)
    {
        Arguments = arguments;
        Locals = locals;
    }

    public Expression[] Arguments { get; }

    public Expression[] Locals { get; }

    public List<Expression> Stack { get; } = new();

    public PathFacts Facts { get; set; } = PathFacts.Empty;

    public EffectLog Effects { get; set; } = EffectLog.Empty;

    public SymbolicState Clone()
    {
        var copy = new SymbolicState((Expression[])Arguments.Clone(), (Expression[])Locals.Clone())
        {
            Facts = Facts,
            Effects = Effects,
        };
        copy.Stack.AddRange(Stack);
        return copy;
    }

    /// <summary>Pushes a value and logs its possibly-throwing evaluations on this path.</summary>
    public void Push(Expression value)
    {
        if (value is not InterpreterValue) Effects = Effects.Observe(value);
        Stack.Add(value);
    }

    /// <summary>Pops a value to use it: an array still being initialised is frozen into IR (see <see cref="PendingArray"/>).</summary>
    public Expression Pop(MethodFrameInfo where) => PopRaw(where) is var value && value is PendingArray pending ? pending.Freeze() : value;

    /// <summary>Pops a value as it is, for instructions that only move it (stores to slots) or write its elements.</summary>
    public Expression PopRaw(MethodFrameInfo where)
    {
        if (Stack.Count == 0) throw new LoweringFailure("malformed-il", "evaluation stack underflow", where.Method, where.Offset);
        var value = Stack[^1];
        Stack.RemoveAt(Stack.Count - 1);
        return value;
    }

    /// <summary>Replaces every copy of an array under initialisation (stack, locals, arguments) by its next version.</summary>
    public void Replace(PendingArray after) => Replace(slot => slot is PendingArray p && p.Allocation == after.Allocation, after);

    /// <summary>Replaces every copy of a closure object (stack, locals, arguments, fields of other closures) by its next version.</summary>
    public void Replace(CapturedVariables after) =>
        Replace(slot => slot is CapturedVariables c && c.Allocation is not null && c.Allocation == after.Allocation, after);

    private void Replace(Func<Expression, bool> same, Expression after)
    {
        Expression Update(Expression slot) => same(slot) ? after : slot is CapturedVariables outer ? outer.Replace(same, after) : slot;
        for (var i = 0; i < Stack.Count; i++) Stack[i] = Update(Stack[i]);
        for (var i = 0; i < Locals.Length; i++) Locals[i] = Update(Locals[i]);
        for (var i = 0; i < Arguments.Length; i++) Arguments[i] = Update(Arguments[i]);
    }

    public Expression Peek(MethodFrameInfo where) =>
        Stack.Count > 0 ? Stack[^1] : throw new LoweringFailure("malformed-il", "evaluation stack underflow", where.Method, where.Offset);
}

/// <summary>Where the interpreter is, for error reports.</summary>
internal readonly record struct MethodFrameInfo(System.Reflection.MethodBase Method, int Offset);
