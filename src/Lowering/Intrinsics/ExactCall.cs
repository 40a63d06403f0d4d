using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// Builds the IR that calls a method the table trusts, exactly as the delegate calls it: the same method, so the
/// same value and the same exception type on every input. Operators become operator nodes and property getters
/// become property nodes (same method underneath), so the IR reads naturally and a code generator can match them.
/// </summary>
internal static class ExactCall
{
    private static readonly Dictionary<string, ExpressionType> s_binaryOperators = new()
    {
        ["op_Addition"] = ExpressionType.Add,
        ["op_Subtraction"] = ExpressionType.Subtract,
        ["op_Multiply"] = ExpressionType.Multiply,
        ["op_Division"] = ExpressionType.Divide,
        ["op_Modulus"] = ExpressionType.Modulo,
        ["op_Equality"] = ExpressionType.Equal,
        ["op_Inequality"] = ExpressionType.NotEqual,
        ["op_LessThan"] = ExpressionType.LessThan,
        ["op_LessThanOrEqual"] = ExpressionType.LessThanOrEqual,
        ["op_GreaterThan"] = ExpressionType.GreaterThan,
        ["op_GreaterThanOrEqual"] = ExpressionType.GreaterThanOrEqual,
    };

    /// <summary>The exact IR of the call, or a refusal when an argument cannot be given the parameter's type.</summary>
    public static IntrinsicCall Lower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        var parameters = method.GetParameters();
        if (parameters.Length != arguments.Count)
            return IntrinsicCall.Refused("intrinsic-arguments", $"{Describe(method)} takes {parameters.Length} arguments, the call passes {arguments.Count}.");
        if (parameters.Any(p => p.ParameterType.IsByRef || p.ParameterType.IsByRefLike || p.ParameterType.IsPointer))
            return IntrinsicCall.NotIntrinsic;

        var coerced = new Expression[arguments.Count];
        for (var i = 0; i < coerced.Length; i++)
        {
            if (Coerce(arguments[i], parameters[i].ParameterType) is not { } argument)
                return Mismatch(method, arguments[i].Type, parameters[i].ParameterType);
            coerced[i] = argument;
        }

        if (method is ConstructorInfo constructor) return IntrinsicCall.Lowered(Expression.New(constructor, coerced));
        var info = (MethodInfo)method;
        Expression? target = null;
        if (!info.IsStatic)
        {
            if (instance is null) return IntrinsicCall.Refused("intrinsic-arguments", $"{Describe(method)} needs an instance.");
            target = Coerce(instance, info.DeclaringType!);
            if (target is null) return Mismatch(method, instance.Type, info.DeclaringType!);
        }

        return IntrinsicCall.Lowered(Build(info, target, coerced));
    }

    private static Expression Build(MethodInfo method, Expression? target, Expression[] arguments)
    {
        if (method.IsSpecialName && method.IsStatic)
        {
            if (arguments.Length == 2 && s_binaryOperators.TryGetValue(method.Name, out var binary))
                return Expression.MakeBinary(binary, arguments[0], arguments[1], liftToNull: false, method);
            if (arguments.Length == 1)
            {
                switch (method.Name)
                {
                    case "op_UnaryNegation": return Expression.Negate(arguments[0], method);
                    case "op_UnaryPlus": return Expression.UnaryPlus(arguments[0], method);
                    case "op_Implicit" or "op_Explicit": return Expression.Convert(arguments[0], method.ReturnType, method);
                }
            }
        }

        if (method.IsSpecialName && method.Name.StartsWith("get_", StringComparison.Ordinal) && arguments.Length == 0)
        {
            var flags = BindingFlags.Public | (method.IsStatic ? BindingFlags.Static : BindingFlags.Instance);
            var property = method.DeclaringType!.GetProperty(method.Name[4..], flags);
            if (property?.GetMethod == method) return Expression.Property(target, property);
        }

        return Expression.Call(target, method, arguments);
    }

    /// <summary>
    /// Gives <paramref name="value"/> the type <paramref name="type"/> the way the CLR does when the value is passed
    /// from the evaluation stack (int32 for bool/char/short, an enum's underlying value, a reference upcast), or null
    /// when no such conversion exists.
    /// </summary>
    public static Expression? Coerce(Expression value, Type type)
    {
        if (value.Type == type) return value;
        if (!type.IsValueType && !value.Type.IsValueType)
        {
            if (type.IsAssignableFrom(value.Type)) return value;
            return value is ConstantExpression { Value: null } ? Expression.Constant(null, type) : null;
        }

        if (type.IsValueType && value.Type.IsValueType && IsStackPrimitive(value.Type) && IsStackPrimitive(type))
        {
            if (type == typeof(bool)) return Expression.NotEqual(value, Expression.Default(value.Type));
            return Expression.Convert(value, type);
        }

        // The evaluation stack has one floating-point type; passing it to a float32 parameter narrows (conv.r4).
        if ((type == typeof(float) && value.Type == typeof(double)) || (type == typeof(double) && value.Type == typeof(float)))
            return Expression.Convert(value, type);
        if (Nullable.GetUnderlyingType(type) == value.Type) return Expression.Convert(value, type);
        return null;
    }

    private static bool IsStackPrimitive(Type type)
    {
        var underlying = type.IsEnum ? Enum.GetUnderlyingType(type) : type;
        return underlying.IsPrimitive && underlying != typeof(nint) && underlying != typeof(nuint) && underlying != typeof(double) && underlying != typeof(float);
    }

    /// <summary>The value of <paramref name="value"/> when it is a constant (possibly behind conversions) of type <typeparamref name="T"/>.</summary>
    public static bool TryGetConstant<T>(Expression value, out T constant)
    {
        var inner = value;
        while (inner is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert) inner = convert.Operand;
        if (inner is ConstantExpression { Value: { } raw })
        {
            if (raw is T typed)
            {
                constant = typed;
                return true;
            }

            if (typeof(T).IsEnum && raw.GetType().IsPrimitive)
            {
                constant = (T)Enum.ToObject(typeof(T), raw);
                return true;
            }
        }

        constant = default!;
        return false;
    }

    /// <summary><c>System.String.ToLower()</c>-style text for messages.</summary>
    public static string Describe(MethodBase method) =>
        $"{method.DeclaringType?.FullName}.{(method is ConstructorInfo ? "ctor" : method.Name)}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";

    private static IntrinsicCall Mismatch(MethodBase method, Type given, Type expected) =>
        IntrinsicCall.Refused("intrinsic-arguments", $"{Describe(method)} expects {expected}, the call passes {given}.");
}
