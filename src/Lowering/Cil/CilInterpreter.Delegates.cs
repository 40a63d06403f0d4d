using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Dsl.Lowering.Analyses;

namespace Dsl.Lowering.Cil;

internal sealed partial class CilInterpreter
{
    /// <summary>
    /// Delegates built from lambdas: <c>ldftn M; newobj D::.ctor(object, native int)</c> becomes a
    /// <see cref="LambdaExpression"/> of type <c>D</c> whose body is <c>M</c>'s IL lowered over fresh parameters (so
    /// <c>xs.Where(x =&gt; x &gt; 0)</c> reaches the intrinsic table with the lambda as IR). C# caches a lambda that
    /// captures nothing in a static field of its <c>&lt;&gt;c</c> class (<c>ldsfld &lt;&gt;9__N_M; dup; brtrue
    /// cached; pop; … newobj; dup; stsfld &lt;&gt;9__N_M</c>): the cache is read as empty and the store dropped, so the
    /// lambda is built where the delegate would be; a cached delegate and a new one behave the same. A lambda that
    /// captures variables gets its closure (a <see cref="CapturedVariables"/> of the display class the function allocated)
    /// as target, and reads the captured values through it.
    /// </summary>
    private bool TryDelegate(MethodFrame frame, IlInstruction instruction, SymbolicState state)
    {
        var where = frame.At(instruction.Offset);
        var code = instruction.OpCode;
        if (code == OpCodes.Ldftn)
        {
            if (ResolveMethod(frame, instruction) is not MethodInfo method)
                throw new LoweringFailure("delegate", "ldftn of a constructor", where.Method, where.Offset);
            state.Push(new MethodPointer(method));
            return true;
        }

        if (code == OpCodes.Ldsfld && ResolveField(frame, instruction) is var cache && IsLambdaCache(cache))
        {
            state.Push(_ir.Constant(null, cache.FieldType));
            return true;
        }

        if (code == OpCodes.Stsfld && ResolveField(frame, instruction) is var stored && IsLambdaCache(stored))
        {
            state.PopRaw(where);
            return true;
        }

        return false;
    }

    /// <summary>
    /// A compiler-generated static field that caches a delegate: over a lambda that captures nothing
    /// (<c>&lt;&gt;c.&lt;&gt;9__0_0</c>), or, since C# 11, over a static method group (<c>&lt;&gt;O.&lt;0&gt;__Name</c>).
    /// </summary>
    private static bool IsLambdaCache(FieldInfo field) =>
        field.IsStatic && !field.IsInitOnly && field.Name.StartsWith('<')
        && typeof(Delegate).IsAssignableFrom(field.FieldType) && IsCompilerGenerated(field.DeclaringType);

    /// <summary>
    /// <c>new D(target, &amp;M)</c> for a delegate type <c>D</c>: the lambda <c>(p1..pn) =&gt; M(target, p1..pn)</c> with
    /// <c>M</c> inlined. <c>M</c> must be the user's own code with the delegate's exact signature; its body is lowered as
    /// a function of its own (own path facts and effect log), and its reads of <paramref name="target"/>'s fields
    /// happen when the lambda runs.
    /// </summary>
    private LambdaExpression CreateDelegate(Type delegateType, Expression target, Expression pointer, MethodFrameInfo where)
    {
        if (pointer is not MethodPointer { Method: var method })
            throw new LoweringFailure("delegate", $"a {delegateType.Name} built from something other than ldftn", where.Method, where.Offset);
        if (!IsUserCode(method, where.Method))
            throw new LoweringFailure("delegate", $"a {delegateType.Name} over {MethodFrame.Describe(method)}, which is not code of this assembly with IL", where.Method, where.Offset);
        var invoke = delegateType.GetMethod("Invoke")!;
        var parameters = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        if (invoke.ReturnType == typeof(void) || invoke.ReturnType != method.ReturnType
            || !method.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters.Select(p => p.Type)))
            throw new LoweringFailure("delegate", $"a {delegateType.Name} over {MethodFrame.Describe(method)}: only functions with the delegate's exact signature that return a value are lowered", where.Method, where.Offset);
        while (target is UnaryExpression { NodeType: ExpressionType.Convert } convert && convert.Type == typeof(object)) target = convert.Operand;
        // The lambda is lowered with the captured variables' values now; later writes to them are refused.
        if (target is CapturedVariables closure) closure.Freeze();
        IReadOnlyList<Expression> arguments = method.IsStatic ? parameters : [target, .. parameters];
        var body = Invoke(FrameOf(method), arguments, EffectLog.Empty, PathFacts.Empty, out var effects);
        return Expression.Lambda(delegateType, effects.Seal(body), parameters);
    }
}
