using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Cil;

internal sealed partial class CilInterpreter
{
    /// <summary>
    /// Writes a captured variable: a field of a closure object (<c>stfld</c> on a display class the function allocated) or
    /// of a display struct reached through an address. A closure over which a lambda was already built is frozen: the
    /// lambda was lowered with the values it would read then, and C# reads them when it runs, maybe after this write.
    /// </summary>
    private void StoreCaptured(CapturedVariables target, FieldInfo field, Expression value, SymbolicState state, MethodFrameInfo where)
    {
        if (target.Allocation is null)
            throw new LoweringFailure("closure-write", $"assignment to the captured variable {field.Name} through a copy of its display struct (a local function assigning a variable of its caller)", where.Method, where.Offset);
        if (target.Allocation.IsFrozen)
            throw new LoweringFailure("closure-write", $"assignment to the captured variable {field.Name} after a lambda that reads it was created (the lambda would see the new value when it runs)", where.Method, where.Offset);
        state.Effects = state.Effects.Observe(value);
        state.Replace(target.With(field, CoerceToSlot(value, field.FieldType, where)));
    }

    /// <summary>A captured variable's value; a field never written reads as its type's default.</summary>
    private Expression ReadCaptured(CapturedVariables captured, FieldInfo field) => captured.Read(field) ?? _ir.Default(field.FieldType);

    /// <summary>
    /// The value a display struct slot holds, as captured variables: C# initialises such a local by writing its fields
    /// through its address, starting from the default value.
    /// </summary>
    private static CapturedVariables? AsCaptured(Expression value) => value switch
    {
        CapturedVariables captured => captured,
        ConstantExpression or DefaultExpression when value.Type.IsValueType && CapturedVariables.IsDisplayType(value.Type) => CapturedVariables.Create(value.Type),
        _ => null,
    };

    /// <summary>
    /// The arguments an inlined call passes: a local function receives its caller's display struct by reference; it is
    /// passed as the struct's current value (the callee reads captured variables through it and may not write them).
    /// </summary>
    private Expression[] InlineArguments(MethodBase method, Expression? receiver, Expression[] arguments, SymbolicState state, MethodFrameInfo where)
    {
        var parameters = method.GetParameters();
        var passed = (Expression[])arguments.Clone();
        for (var i = 0; i < passed.Length; i++)
        {
            if (passed[i] is AddressValue address && parameters[i].ParameterType.IsByRef && CapturedVariables.IsDisplayType(parameters[i].ParameterType.GetElementType()!))
                passed[i] = AsCaptured(Load(address, state, where)) ?? throw new LoweringFailure("pointer", "a display struct passed by reference holds something else", where.Method, where.Offset);
        }

        return receiver is null ? passed : passed.Prepend(receiver).ToArray();
    }

    /// <summary>Two versions of the same captured variables met at a join: each differing field becomes a conditional.</summary>
    private Expression? MergeCaptured(Expression c, Expression a, Expression b)
    {
        if (a is not CapturedVariables x || b is not CapturedVariables y) return null;
        if (!x.IsSameObject(y))
            throw new LoweringFailure("allocation", "two different closure objects meet in one variable where two paths join");
        var merged = x;
        foreach (var field in x.Fields.Keys.Union(y.Fields.Keys))
        {
            var left = ReadCaptured(x, field);
            var right = ReadCaptured(y, field);
            if (left != right) merged = merged.With(field, MergeValue(c, left, right));
        }

        return merged;
    }
}
