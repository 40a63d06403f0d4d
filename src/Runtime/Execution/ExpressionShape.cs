using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Runtime.Execution;

/// <summary>
/// Gives structurally equal subtrees of several IR lambdas the same integer id (bottom-up hash-consing), where a
/// top-level parameter is identified by the column it is bound to, not by its object. Also says, per node,
/// whether the subtree is <em>pure</em>: it reads only bound parameters and constants, has no side effects, and
/// can throw for no input — so computing it on rows where the original function would not have evaluated it
/// changes neither a result nor the error report.
/// </summary>
/// <remarks>
/// Only node kinds in the purity table get structural ids; anything else (blocks, loops, extension nodes, calls
/// outside the table, throwing operators such as integer division or <c>Nullable.Value</c>) gets a unique id, so
/// it is never considered shared and neither is any subtree containing it.
/// </remarks>
internal sealed class ExpressionShape
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<Expression, NodeShape> _shapes = new(ReferenceEqualityComparer.Instance);
    private int _next;

    /// <summary>The shape of a visited node.</summary>
    public readonly record struct NodeShape(int Id, bool IsPure, int Size, bool HasCostlyCall);

    /// <summary>Visits <paramref name="body"/>, reading parameter <c>p</c> as the column <paramref name="columnOf"/>(p).</summary>
    public NodeShape Visit(Expression body, IReadOnlyDictionary<ParameterExpression, string> columnOf)
    {
        if (_shapes.TryGetValue(body, out var known)) return known;
        var shape = Compute(body, columnOf);
        _shapes[body] = shape;
        return shape;
    }

    /// <summary>The shape of a node visited before.</summary>
    public NodeShape this[Expression node] => _shapes[node];

    private NodeShape Compute(Expression node, IReadOnlyDictionary<ParameterExpression, string> columnOf)
    {
        switch (node)
        {
            case ParameterExpression parameter when columnOf.TryGetValue(parameter, out var column):
                return Leaf($"p|{parameter.Type.AssemblyQualifiedName}|{column}");
            case ConstantExpression constant when IsPlainConstant(constant):
                return Leaf($"c|{constant.Type.AssemblyQualifiedName}|{Convert.ToString(constant.Value, System.Globalization.CultureInfo.InvariantCulture)}|{constant.Value?.GetHashCode()}");
            case BinaryExpression binary when IsPureBinary(binary):
                return Combine($"b|{binary.NodeType}|{binary.Type.AssemblyQualifiedName}|{binary.IsLiftedToNull}|{binary.Method?.MetadataToken}",
                    false, columnOf, binary.Left, binary.Right);
            case UnaryExpression unary when IsPureUnary(unary):
                return Combine($"u|{unary.NodeType}|{unary.Type.AssemblyQualifiedName}", false, columnOf, unary.Operand);
            case ConditionalExpression conditional:
                return Combine($"if|{conditional.Type.AssemblyQualifiedName}", false, columnOf, conditional.Test, conditional.IfTrue, conditional.IfFalse);
            case MethodCallExpression call when PureMethods.TryGetValue(call.Method, out var costly):
                return Combine($"m|{call.Method.DeclaringType?.AssemblyQualifiedName}|{call.Method}",
                    costly, columnOf, call.Object is null ? call.Arguments.ToArray() : [call.Object, .. call.Arguments]);
            case MemberExpression { Expression: { } instance, Member.Name: "HasValue" } member
                when Nullable.GetUnderlyingType(instance.Type) is not null:
                return Combine($"hasvalue|{member.Type.AssemblyQualifiedName}", false, columnOf, instance);
            default:
                VisitChildrenForOpaque(node, columnOf);
                return new NodeShape(-(++_next), false, 1, false);
        }
    }

    private NodeShape Leaf(string key) => new(Intern(key), true, 1, false);

    private NodeShape Combine(string key, bool costly, IReadOnlyDictionary<ParameterExpression, string> columnOf, params Expression[] children)
    {
        var pure = true;
        var size = 1;
        foreach (var child in children)
        {
            var shape = Visit(child, columnOf);
            pure &= shape.IsPure;
            size += shape.Size;
            costly |= shape.HasCostlyCall;
            key += "|" + shape.Id;
        }
        return new NodeShape(pure ? Intern(key) : -(++_next), pure, size, costly);
    }

    /// <summary>Opaque nodes still have pure subtrees below them (e.g. in a block) worth sharing.</summary>
    private void VisitChildrenForOpaque(Expression node, IReadOnlyDictionary<ParameterExpression, string> columnOf)
    {
        var visitor = new ChildVisitor(this, columnOf);
        visitor.VisitChildren(node);
    }

    private int Intern(string key)
    {
        if (!_ids.TryGetValue(key, out var id)) _ids[key] = id = ++_next;
        return id;
    }

    private static bool IsPlainConstant(ConstantExpression constant) =>
        constant.Value is null || constant.Type.IsPrimitive || constant.Type == typeof(string) || constant.Type.IsEnum
        || Nullable.GetUnderlyingType(constant.Type) is { IsPrimitive: true };

    private static bool IsFloating(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is var t && (t == typeof(double) || t == typeof(float));

    private static bool IsPrimitiveOrLifted(Type type) => (Nullable.GetUnderlyingType(type) ?? type).IsPrimitive;

    private static bool IsPureBinary(BinaryExpression binary)
    {
        if (binary.Method is not null || binary.Conversion is not null) return false;
        return binary.NodeType switch
        {
            ExpressionType.Add or ExpressionType.Subtract or ExpressionType.Multiply => IsPrimitiveOrLifted(binary.Left.Type),
            // Integer division and remainder throw (zero divisor, MinValue / -1); floating ones never do.
            ExpressionType.Divide or ExpressionType.Modulo => IsFloating(binary.Left.Type),
            ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual
                or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual
                or ExpressionType.And or ExpressionType.Or or ExpressionType.ExclusiveOr
                or ExpressionType.AndAlso or ExpressionType.OrElse => IsPrimitiveOrLifted(binary.Left.Type),
            ExpressionType.Coalesce => IsPrimitiveOrLifted(binary.Left.Type) || binary.Left.Type == typeof(string),
            _ => false,
        };
    }

    private static bool IsPureUnary(UnaryExpression unary)
    {
        if (unary.Method is not null) return false;
        return unary.NodeType switch
        {
            ExpressionType.Negate or ExpressionType.Not => IsPrimitiveOrLifted(unary.Type),
            // Unchecked numeric conversions never throw, except T? → T on null (it reads .Value).
            ExpressionType.Convert => IsPrimitiveOrLifted(unary.Type) && IsPrimitiveOrLifted(unary.Operand.Type)
                && !(Nullable.GetUnderlyingType(unary.Operand.Type) is not null && Nullable.GetUnderlyingType(unary.Type) is null),
            _ => false,
        };
    }

    /// <summary>Static or instance methods that never throw and have no side effects; the flag marks costly ones worth sharing.</summary>
    private static readonly Dictionary<MethodInfo, bool> PureMethods = BuildPureMethods();

    private static Dictionary<MethodInfo, bool> BuildPureMethods()
    {
        var methods = new Dictionary<MethodInfo, bool>();
        foreach (var name in new[] { "Sqrt", "Log", "Log10", "Log2", "Exp", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Atan2", "Sinh", "Cosh", "Tanh", "Pow", "Cbrt", "Floor", "Ceiling", "Truncate" })
        {
            foreach (var type in new[] { typeof(Math), typeof(MathF) })
            {
                foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == name))
                {
                    if (method.GetParameters().All(p => p.ParameterType == typeof(double) || p.ParameterType == typeof(float)))
                        methods[method] = name is not ("Floor" or "Ceiling" or "Truncate");
                }
            }
        }
        foreach (var method in typeof(Math).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name is "Max" or "Min"))
        {
            if (method.GetParameters().All(p => p.ParameterType.IsPrimitive)) methods[method] = false;
        }
        foreach (var type in new[] { typeof(double), typeof(float), typeof(int), typeof(long), typeof(bool) })
        {
            var nullable = typeof(Nullable<>).MakeGenericType(type);
            methods[nullable.GetMethod("GetValueOrDefault", Type.EmptyTypes)!] = false;
            methods[nullable.GetMethod("GetValueOrDefault", [type])!] = false;
        }
        return methods;
    }

    private sealed class ChildVisitor(ExpressionShape owner, IReadOnlyDictionary<ParameterExpression, string> columnOf) : ExpressionVisitor
    {
        private Expression? _root;

        public void VisitChildren(Expression node)
        {
            _root = node;
            if (node.NodeType == ExpressionType.Extension && node.CanReduce) return; // reduced forms are not shared
            base.Visit(node);
        }

        public override Expression? Visit(Expression? node)
        {
            if (node is null || ReferenceEquals(node, _root)) return base.Visit(node);
            if (node is LambdaExpression) return node; // nested lambdas bind their own parameters
            owner.Visit(node, columnOf);
            return node;
        }
    }
}
