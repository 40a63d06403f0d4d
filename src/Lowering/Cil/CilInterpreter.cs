using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Analyses;
using Dsl.Lowering.Ir;
using Dsl.Lowering.Passes;

namespace Dsl.Lowering.Cil;

/// <summary>
/// Symbolic execution of CIL. Runs a method's blocks with IR expressions as values; at a branch on a
/// symbolic condition it runs each side up to the branch's immediate post-dominator with the condition
/// as a path fact, then merges the two states there (each differing slot becomes a conditional), and
/// folds returns on some paths into one conditional result. A branch on a constant follows one edge, so
/// loops with a constant trip count unroll (within the gas limit). Calls to the user's own methods are
/// inlined. Anything it cannot translate exactly throws a <see cref="LoweringFailure"/>.
/// </summary>
/// <remarks>
/// Partials by instruction family: <c>.Instructions</c> (dispatch, loads, stores, stack),
/// <c>.Arithmetic</c>, <c>.Branches</c> (branch conditions), <c>.Calls</c>, <c>.Objects</c> (fields,
/// addresses, arrays, allocation), <c>.Types</c> (stack-normal types and coercions).
/// </remarks>
internal sealed partial class CilInterpreter
{
    private readonly IrFactory _ir;
    private readonly Stack<MethodBase> _callStack = new();
    private readonly HashSet<(MethodFrame Frame, int Block)> _activeBranches = new();
    private readonly Dictionary<MethodBase, MethodFrame> _frames = new();

    public CilInterpreter(IrFactory ir) => _ir = ir;

    /// <summary>The IR of <paramref name="method"/>'s return value given its argument slots (including <c>this</c>).</summary>
    public Expression Interpret(MethodBase method, IReadOnlyList<Expression> arguments)
    {
        var frame = FrameOf(method);
        if (frame.ReturnType == typeof(void))
            throw new LoweringFailure("void-return", $"{MethodFrame.Describe(method)} returns nothing; a feature must return a value", method);
        var value = Invoke(frame, arguments, EffectLog.Empty, PathFacts.Empty, out var effects);
        var result = effects.Seal(value);
        if (InterpreterOnlyNode.FindIn(result) is { } leaked)
            throw new LoweringFailure("malformed-il", $"a {leaked.GetType().Name} of the interpreter escaped into the IR", method);
        return result;
    }

    private MethodFrame FrameOf(MethodBase method)
    {
        if (!_frames.TryGetValue(method, out var frame)) _frames[method] = frame = MethodFrame.Create(method);
        return frame;
    }

    /// <summary>Runs a whole method body; returns its result and the effect history after it.</summary>
    private Expression Invoke(MethodFrame frame, IReadOnlyList<Expression> arguments, EffectLog effects, PathFacts facts, out EffectLog after)
    {
        if (_callStack.Contains(frame.Method))
            throw new LoweringFailure("recursion", $"{MethodFrame.Describe(frame.Method)} calls itself (directly or through other methods)", frame.Method);
        _callStack.Push(frame.Method);
        try
        {
            var slots = new Expression[frame.ArgumentTypes.Length];
            for (var i = 0; i < slots.Length; i++)
            {
                // A display struct passed by reference (a local function's captured variables) arrives as its value.
                var byRefCapture = frame.ArgumentTypes[i].IsByRef && arguments[i] is CapturedVariables;
                slots[i] = byRefCapture ? arguments[i] : CoerceToSlot(arguments[i], frame.ArgumentTypes[i], frame.At(0));
            }

            var locals = frame.LocalTypes.Select(InitialLocal).ToArray();
            var state = new SymbolicState(slots, locals) { Facts = facts, Effects = effects };
            var outcome = Run(frame, 0, state, BlockGraph.Exit);
            if (outcome is not Returns returns)
                throw new LoweringFailure("malformed-il", $"{MethodFrame.Describe(frame.Method)} does not return on every path", frame.Method);
            after = returns.Effects;
            return returns.Value;
        }
        finally
        {
            _callStack.Pop();
        }
    }

    /// <summary>Runs from <paramref name="blockIndex"/> until every path reaches <paramref name="stop"/> or returns.</summary>
    private Outcome Run(MethodFrame frame, int blockIndex, SymbolicState state, int stop)
    {
        var instructions = frame.Graph.Instructions;
        while (true)
        {
            if (blockIndex == stop) return new FallsThrough(state);
            if (_loops.Count > 0) RefuseOuterLoopHeader(frame, blockIndex, stop);
            var block = frame.Graph.Blocks[blockIndex];
            if (block.EntryStackDepth < 0) block.EntryStackDepth = state.Stack.Count;
            else if (block.EntryStackDepth != state.Stack.Count)
                throw new LoweringFailure("malformed-il", "inconsistent evaluation stack depth at a join", frame.Method, instructions[block.FirstInstruction].Offset);
            for (var i = block.FirstInstruction; i < block.LastInstruction; i++) Execute(frame, instructions[i], state);
            var last = instructions[block.LastInstruction];
            _ir.Charge();
            var flow = last.OpCode.FlowControl;
            if (flow == System.Reflection.Emit.FlowControl.Return)
                return Return(frame, last, state);
            if (flow == System.Reflection.Emit.FlowControl.Throw)
                return Throw(frame, last, state);
            if (!last.IsConditionalBranch && last.OpCode != System.Reflection.Emit.OpCodes.Switch)
            {
                if (!last.EndsFlow) Execute(frame, last, state);
                if (last.OpCode.Name is "endfinally" or "endfilter")
                    throw new LoweringFailure("try-catch", "exception handling", frame.Method, last.Offset);
                blockIndex = block.Successors[0];
                continue;
            }

            var (cases, defaultTarget) = BranchCases(frame, block, last, state);
            // A branch on a constant follows one edge: this is how constant-trip-count loops unroll.
            while (cases.Count > 0 && NullableSimplification.Simplify(cases[0].Condition, state.Facts, _ir) is ConstantExpression { Value: bool taken })
            {
                if (taken) break;
                cases.RemoveAt(0);
            }

            if (cases.Count == 0 || NullableSimplification.Simplify(cases[0].Condition, state.Facts, _ir) is ConstantExpression)
            {
                blockIndex = cases.Count == 0 ? defaultTarget : cases[0].Target;
                continue;
            }

            if (cases.Count == 1 && TryFoldLoop(frame, block, NullableSimplification.Simplify(cases[0].Condition, state.Facts, _ir), cases[0].Target, defaultTarget, state) is { } loop)
            {
                if (loop.Outcome is not PartlyReturns exits)
                {
                    state = ((FallsThrough)loop.Outcome).State;
                    blockIndex = loop.Exit;
                    continue;
                }

                // Some elements make the loop return: the rest of the method runs when none does.
                return Sequence(exits, Run(frame, loop.Exit, exits.State, stop));
            }

            var join = JoinOf(frame, block);
            var key = (frame, block.Index);
            if (!_activeBranches.Add(key))
                throw new LoweringFailure("loop", "a loop whose number of iterations depends on the input (only loops over a sequence — foreach, for (i = k; i < xs.Length/xs.Count; i++) — and constant trip counts are lowered)", frame.Method, last.Offset);
            Outcome outcome;
            try
            {
                outcome = RunCases(frame, state, cases, defaultTarget, join, 0);
            }
            finally
            {
                _activeBranches.Remove(key);
            }

            switch (outcome)
            {
                case Returns:
                    return outcome;
                case FallsThrough falls:
                    state = falls.State;
                    blockIndex = join;
                    continue;
                case PartlyReturns partly:
                    return Sequence(partly, Run(frame, join, partly.State, stop));
            }
        }
    }

    private Outcome Return(MethodFrame frame, IlInstruction instruction, SymbolicState state)
    {
        var value = CoerceToSlot(state.Pop(frame.At(instruction.Offset)), frame.ReturnType, frame.At(instruction.Offset));
        if (CanHoldArray(frame.ReturnType) && MentionsAllocatedArray(value))
            throw new LoweringFailure("allocation", "returns an array this function allocated: the IR would return one shared instance where the delegate returns a new one", frame.Method, instruction.Offset);
        return new Returns(value, state.Effects.Observe(value));
    }

    private Outcome Throw(MethodFrame frame, IlInstruction instruction, SymbolicState state)
    {
        var exception = state.Pop(frame.At(instruction.Offset));
        var value = _ir.Throw(exception, frame.ReturnType);
        return new Returns(value, state.Effects.Observe(value));
    }

    /// <summary>Runs case <paramref name="index"/> and the ones after it: <c>c0 ? t0 : c1 ? t1 : ... : default</c>.</summary>
    private Outcome RunCases(MethodFrame frame, SymbolicState state, IReadOnlyList<(Expression Condition, int Target)> cases, int defaultTarget, int join, int index)
    {
        if (index == cases.Count) return Run(frame, defaultTarget, state, join);
        var (raw, target) = cases[index];
        var condition = NullableSimplification.Simplify(raw, state.Facts, _ir);
        switch (condition)
        {
            case ConstantExpression { Value: true }:
                return Run(frame, target, state, join);
            case ConstantExpression { Value: false }:
                return RunCases(frame, state, cases, defaultTarget, join, index + 1);
        }

        var whenTrueState = state.Clone();
        whenTrueState.Facts = state.Facts.Assume(condition, true);
        var whenFalseState = state;
        whenFalseState.Facts = state.Facts.Assume(condition, false);
        var whenTrue = Run(frame, target, whenTrueState, join);
        var whenFalse = RunCases(frame, whenFalseState, cases, defaultTarget, join, index + 1);
        return Merge(condition, whenTrue, whenFalse);
    }

    /// <summary>Joins the outcomes of the two sides of a branch on <paramref name="c"/>.</summary>
    private Outcome Merge(Expression c, Outcome whenTrue, Outcome whenFalse) => (whenTrue, whenFalse) switch
    {
        (FallsThrough a, FallsThrough b) => new FallsThrough(MergeStates(c, a.State, b.State)),
        (Returns a, Returns b) => new Returns(_ir.Condition(c, a.Value, b.Value), EffectLog.Merge(c, a.Effects, b.Effects)),
        (Returns a, FallsThrough b) => new PartlyReturns(c, a.Value, a.Effects, b.State),
        (FallsThrough a, Returns b) => new PartlyReturns(_ir.Not(c), b.Value, b.Effects, a.State),
        (PartlyReturns a, FallsThrough b) => new PartlyReturns(_ir.AndAlso(c, a.Condition), a.Value, a.Effects, MergeStates(c, a.State, b.State)),
        (FallsThrough a, PartlyReturns b) => new PartlyReturns(_ir.AndAlso(_ir.Not(c), b.Condition), b.Value, b.Effects, MergeStates(c, a.State, b.State)),
        (PartlyReturns a, Returns b) => new PartlyReturns(_ir.Condition(c, a.Condition, _ir.True), _ir.Condition(c, a.Value, b.Value), EffectLog.Merge(c, a.Effects, b.Effects), a.State),
        (Returns a, PartlyReturns b) => new PartlyReturns(_ir.Condition(c, _ir.True, b.Condition), _ir.Condition(c, a.Value, b.Value), EffectLog.Merge(c, a.Effects, b.Effects), b.State),
        (PartlyReturns a, PartlyReturns b) => new PartlyReturns(_ir.Condition(c, a.Condition, b.Condition), _ir.Condition(c, a.Value, b.Value),
            EffectLog.Merge(c, a.Effects, b.Effects), MergeStates(c, a.State, b.State)),
        _ => throw new InvalidOperationException("unknown outcome"),
    };

    /// <summary>A region that returned on some paths, followed by the rest of the method from where the others continue.</summary>
    private Outcome Sequence(PartlyReturns first, Outcome rest) => rest switch
    {
        Returns r => new Returns(_ir.Condition(first.Condition, first.Value, r.Value), EffectLog.Merge(first.Condition, first.Effects, r.Effects)),
        FallsThrough f => first with { State = f.State },
        PartlyReturns p => new PartlyReturns(_ir.OrElse(first.Condition, p.Condition), _ir.Condition(first.Condition, first.Value, p.Value),
            EffectLog.Merge(first.Condition, first.Effects, p.Effects), p.State),
        _ => throw new InvalidOperationException("unknown outcome"),
    };

    /// <summary>The state where two paths split on <paramref name="c"/> meet: each differing slot becomes <c>c ? a : b</c>.</summary>
    private SymbolicState MergeStates(Expression c, SymbolicState whenTrue, SymbolicState whenFalse)
    {
        if (whenTrue.Stack.Count != whenFalse.Stack.Count)
            throw new LoweringFailure("malformed-il", "the evaluation stack has different depths where two paths meet");
        var merged = new SymbolicState(new Expression[whenTrue.Arguments.Length], new Expression[whenTrue.Locals.Length])
        {
            Facts = whenTrue.Facts.IntersectWith(whenFalse.Facts),
            Effects = EffectLog.Merge(c, whenTrue.Effects, whenFalse.Effects),
        };
        for (var i = 0; i < merged.Arguments.Length; i++) merged.Arguments[i] = MergeValue(c, whenTrue.Arguments[i], whenFalse.Arguments[i]);
        for (var i = 0; i < merged.Locals.Length; i++) merged.Locals[i] = MergeValue(c, whenTrue.Locals[i], whenFalse.Locals[i]);
        for (var i = 0; i < whenTrue.Stack.Count; i++) merged.Stack.Add(MergeValue(c, whenTrue.Stack[i], whenFalse.Stack[i]));
        return merged;
    }

    private Expression MergeValue(Expression c, Expression a, Expression b)
    {
        if (a == b) return a;
        if (MergeArrays(c, a, b) is { } array) return array;
        if (MergeCaptured(c, a, b) is { } captured) return captured;
        if (a is PendingArray pendingA) a = pendingA.Freeze();
        if (b is PendingArray pendingB) b = pendingB.Freeze();
        var (x, y) = ReconcileTypes(a, b);
        return _ir.Condition(c, x, y);
    }
}
