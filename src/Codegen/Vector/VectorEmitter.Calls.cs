using System.Linq.Expressions;

namespace Dsl.Codegen.Vector;

/// <summary>
/// Nullable members, unary operators and <see cref="Math"/> calls. Math functions use a vector
/// operation only where tests prove it bit-identical to the Math method (Max, Min, Sqrt, Abs, Floor, Ceiling on
/// double); every other Math/MathF function runs per lane through the Math method itself.
/// </summary>
internal sealed partial class VectorEmitter
{
    /// <summary>Math methods whose vector form returns the same bits (see VectorMathTests).</summary>
    private static readonly HashSet<string> s_exactDoubleVectorMath = ["Max", "Min", "Sqrt", "Abs", "Floor", "Ceiling"];

    /// <summary>
    /// Approximate vector forms used only under <see cref="KernelOptions.FastMath"/>: results may differ from
    /// <see cref="Math"/> in the last bits.
    /// </summary>
    private static readonly HashSet<string> s_fastVectorMath = ["Exp", "Log", "Log2", "Sin", "Cos"];

    /// <summary>Math/MathF methods that never throw for any argument of their floating-point type.</summary>
    private static readonly HashSet<string> s_perLaneMath =
    [
        "Max", "Min", "Sqrt", "Abs", "Floor", "Ceiling", "Truncate", "Round", "Exp", "Log", "Log10", "Log2", "Pow", "Sin", "Cos",
        "Tan", "Asin", "Acos", "Atan", "Atan2", "Sinh", "Cosh", "Tanh", "Asinh", "Acosh", "Atanh", "Cbrt", "FusedMultiplyAdd",
        "CopySign", "IEEERemainder", "MaxMagnitude", "MinMagnitude", "BitIncrement", "BitDecrement",
    ];

    private VectorValue Member(MemberExpression node)
    {
        if (node.Expression is not null && VectorTypes.IsTemporal(node.Expression.Type))
        {
            var temporal = Emit(node.Expression);
            if (node.Member.Name == "Ticks") return temporal with { Type = typeof(long) };
            if (node.Type is not ({ } type) || !(type == typeof(int) || type == typeof(long) || type == typeof(double)) || node.Member is not System.Reflection.PropertyInfo)
            {
                throw new NotVectorizableException($"member {node.Member.DeclaringType?.Name}.{node.Member.Name}");
            }

            // Calendar parts and totals (none of which throw, none of which depend on DateTime.Kind): the
            // property itself, lane by lane, on the value rebuilt from its ticks.
            var constructor = node.Expression.Type.GetConstructor([typeof(long)])!;
            return new VectorValue(node.Type, PerLane(node.Type, ticks => Expression.MakeMemberAccess(Expression.New(constructor, ticks[0]), node.Member), temporal.Values), null, temporal.Errors);
        }

        if (node.Expression is null || Nullable.GetUnderlyingType(node.Expression.Type) is null)
        {
            throw new NotVectorizableException($"member {node.Member.DeclaringType?.Name}.{node.Member.Name}");
        }

        var operand = Emit(node.Expression);
        return node.Member.Name switch
        {
            "HasValue" => new VectorValue(typeof(bool), ValidOrAll(operand), null, operand.Errors),
            "Value" => Unwrap(operand, node.Type),
            _ => throw new NotVectorizableException($"member Nullable.{node.Member.Name}"),
        };
    }

    /// <summary><c>x.Value</c>: throws InvalidOperationException on null lanes, so they become error lanes.</summary>
    private VectorValue Unwrap(VectorValue operand, Type type) =>
        new(type, operand.Values, null, operand.Valid is null ? operand.Errors : ErrorOr(operand.Errors, MaskNot(operand.Valid)));

    private VectorValue Call(MethodCallExpression node)
    {
        var method = node.Method;
        if (node.Object is not null && Nullable.GetUnderlyingType(node.Object.Type) is not null && method.Name == "GetValueOrDefault")
        {
            var operand = Emit(node.Object);
            if (operand.Valid is null) return operand with { Type = node.Type };
            var fallback = node.Arguments.Count == 1 ? Emit(node.Arguments[0]) : Constant(node.Type, Activator.CreateInstance(node.Type));
            return new VectorValue(node.Type, Select(operand.Valid, operand.Values, fallback.Values), null, ErrorOr(operand.Errors, fallback.Errors));
        }

        if (method.DeclaringType != typeof(Math) && method.DeclaringType != typeof(MathF) || !method.IsStatic)
        {
            throw new NotVectorizableException($"call to {method.DeclaringType?.Name}.{method.Name}");
        }

        var element = method.ReturnType;
        if (method.GetParameters().Any(p => p.ParameterType != element)) throw new NotVectorizableException($"Math.{method.Name} with mixed argument types");
        var arguments = node.Arguments.Select(Emit).ToArray();
        var errors = arguments.Aggregate((Expression?)null, (all, a) => ErrorOr(all, a.Errors));
        var lane = LaneElement(element);
        if (element == typeof(double) && s_exactDoubleVectorMath.Contains(method.Name))
        {
            return new VectorValue(element, Let(_shape.Call(method.Name, lane, arguments.Select(a => a.Values).ToArray()), method.Name.ToLowerInvariant()), null, errors);
        }

        if (_fastMath && element == typeof(double) && s_fastVectorMath.Contains(method.Name))
        {
            return new VectorValue(element, Let(_shape.Call(method.Name, lane, arguments[0].Values), "approx" + method.Name), null, errors);
        }

        if (!VectorTypes.IsFloatingPoint(element))
        {
            // Integer Max/Min are exact as vectors; integer Abs throws on MinValue and stays scalar.
            if (method.Name is "Max" or "Min") return new VectorValue(element, Let(_shape.Call(method.Name, lane, arguments.Select(a => a.Values).ToArray()), "minMax"), null, errors);
            throw new NotVectorizableException($"Math.{method.Name} on {element.Name}");
        }

        if (!s_perLaneMath.Contains(method.Name)) throw new NotVectorizableException($"Math.{method.Name}");
        return new VectorValue(element, PerLane(element, scalars => Expression.Call(method, scalars), arguments.Select(a => a.Values).ToArray()), null, errors);
    }

    private VectorValue Unary(UnaryExpression node)
    {
        if (node.Method is not null) throw new NotVectorizableException($"operator {node.Method.Name}");
        if (node.NodeType == ExpressionType.Convert && node.Operand is ConstantExpression)
        {
            // A converted constant is a constant of the target type (evaluated once, at compile time).
            return Constant(node.Type, Expression.Lambda(Expression.Convert(node, typeof(object))).Compile(preferInterpretation: true).DynamicInvoke());
        }

        var operand = Emit(node.Operand);
        if (node.NodeType == ExpressionType.Convert) return Convert(operand, node.Type);
        if (VectorTypes.IsSmallInteger(operand.Element)) throw new NotVectorizableException($"{node.NodeType} on {operand.Element.Name}");
        switch (node.NodeType)
        {
            case ExpressionType.UnaryPlus:
                return operand;
            case ExpressionType.Not when operand.Element == typeof(bool):
                // Lifted on bool?: !null is null, so the validity carries over.
                return operand with { Values = MaskNot(operand.Values) };
            case ExpressionType.Not or ExpressionType.OnesComplement when !VectorTypes.IsFloatingPoint(operand.Element):
                return operand with { Values = Let(_shape.Call("OnesComplement", operand.Element, operand.Values), "not") };
            case ExpressionType.Negate:
                return operand with { Type = node.Type, Values = Let(_shape.Call("Negate", LaneElement(operand.Type), operand.Values), "negate") };
            default:
                throw new NotVectorizableException($"{node.NodeType} on {operand.Type.Name}");
        }
    }
}
