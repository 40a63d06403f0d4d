using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Ir;

/// <summary>
/// Builds IR nodes: every node it returns is hash-consed (a structurally equal node built before is
/// returned instead, so equal subtrees are the same object), constant operands are folded when folding
/// cannot change the result or hide an exception, and each new node is charged to the gas budget.
/// </summary>
/// <remarks>Partials: <c>.Logic</c> (booleans, comparisons, conditionals), <c>.Nullable</c>, <c>.Arithmetic</c>.</remarks>
internal sealed partial class IrFactory
{
    private readonly Dictionary<Expression, Expression> _nodes = new(ShallowNodeComparer.Instance);
    private readonly int _gasLimit;
    private int _gasUsed;

    public IrFactory(int gasLimit) => _gasLimit = gasLimit;

    /// <summary>Gas spent so far: new IR nodes plus interpreted instructions.</summary>
    public int GasUsed => _gasUsed;

    /// <summary>Charges <paramref name="amount"/> units of gas; past the limit lowering falls back.</summary>
    public void Charge(int amount = 1)
    {
        _gasUsed += amount;
        if (_gasUsed > _gasLimit)
            throw new LoweringFailure("gas", $"the function lowers to more than the gas limit of {_gasLimit} IR nodes and steps (unrolled loops and inlined calls count)");
    }

    /// <summary>Returns the canonical node structurally equal to <paramref name="node"/> (whose children must be canonical).</summary>
    public T Intern<T>(T node) where T : Expression
    {
        if (node is ParameterExpression or LambdaExpression or BlockExpression || node.NodeType == ExpressionType.Extension) return node;
        if (_nodes.TryGetValue(node, out var existing)) return (T)existing;
        Charge();
        _nodes.Add(node, node);
        return node;
    }

    public ConstantExpression Constant(object? value, Type type) => Intern(Expression.Constant(value, type));

    public ConstantExpression True => Constant(true, typeof(bool));

    public ConstantExpression False => Constant(false, typeof(bool));

    public Expression Default(Type type) =>
        type.IsValueType && Nullable.GetUnderlyingType(type) is null
            ? Constant(Activator.CreateInstance(type), type)
            : Constant(null, type);

    public Expression Field(Expression? instance, FieldInfo field) => Intern(Expression.Field(instance, field));

    public Expression Property(Expression? instance, PropertyInfo property) => Intern(Expression.Property(instance, property));

    public Expression Call(Expression? instance, MethodInfo method, IReadOnlyList<Expression> arguments) =>
        Fold(Intern(Expression.Call(instance, method, arguments)));

    public Expression New(ConstructorInfo constructor, IReadOnlyList<Expression> arguments) =>
        Intern(Expression.New(constructor, arguments));

    /// <summary><c>array[index]</c>; an in-range constant index into a constant array is its element.</summary>
    public Expression ArrayIndex(Expression array, Expression index) =>
        array is ConstantExpression { Value: Array values } && index is ConstantExpression { Value: int i } && (uint)i < (uint)values.Length
            ? Constant(values.GetValue(i), array.Type.GetElementType()!)
            : Intern(Expression.ArrayIndex(array, index));

    /// <summary><c>array.Length</c>; the length of a constant array or an array literal is a constant.</summary>
    public Expression ArrayLength(Expression array) => array switch
    {
        ConstantExpression { Value: Array values } => Constant(values.Length, typeof(int)),
        NewArrayExpression { NodeType: ExpressionType.NewArrayInit } literal => Constant(literal.Expressions.Count, typeof(int)),
        _ => Intern(Expression.ArrayLength(array)),
    };

    /// <summary>
    /// An array literal <c>new T[] { … }</c>. Never merged with an equal literal by hash-consing: each allocation is
    /// its own instance, as in the delegate.
    /// </summary>
    public Expression NewArray(Type elementType, IEnumerable<Expression> elements)
    {
        var node = Expression.NewArrayInit(elementType, elements);
        Charge();
        return node;
    }

    public Expression Throw(Expression exception, Type type) => Intern(Expression.Throw(exception, type));

    /// <summary>A node that throws <typeparamref name="TException"/> with the BCL's own message when evaluated.</summary>
    public Expression Throw<TException>(string message, Type type) where TException : Exception
    {
        var constructor = typeof(TException).GetConstructor([typeof(string)])!;
        return Throw(New(constructor, [Constant(message, typeof(string))]), type);
    }

    /// <summary>
    /// A conversion with C# semantics. Drops identities, folds constants, and removes a widening round trip
    /// (<c>(byte)(int)b</c> is <c>b</c>; <c>(E)(int)e</c> is <c>e</c> for an enum <c>E</c> over <c>int</c>).
    /// </summary>
    public Expression Convert(Expression operand, Type type, bool isChecked = false)
    {
        if (operand.Type == type) return operand;
        if (operand is UnaryExpression { NodeType: ExpressionType.Convert } inner && inner.Operand.Type == type && IsLosslessWidening(type, inner.Type))
            return inner.Operand;
        if (operand is ConstantExpression { Value: null } && (!type.IsValueType || Nullable.GetUnderlyingType(type) is not null))
            return Constant(null, type);
        var node = isChecked ? Expression.ConvertChecked(operand, type) : Expression.Convert(operand, type);
        return Fold(Intern(node));
    }

    /// <summary>Integer and floating conversions that lose nothing (the source type's values all survive the round trip).</summary>
    private static readonly Dictionary<Type, Type[]> Widenings = new()
    {
        [typeof(sbyte)] = [typeof(short), typeof(int), typeof(long), typeof(float), typeof(double)],
        [typeof(byte)] = [typeof(short), typeof(ushort), typeof(char), typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double)],
        [typeof(char)] = [typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double)],
        [typeof(short)] = [typeof(int), typeof(long), typeof(float), typeof(double)],
        [typeof(ushort)] = [typeof(char), typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double)],
        [typeof(int)] = [typeof(long), typeof(double)],
        [typeof(uint)] = [typeof(long), typeof(ulong), typeof(double)],
        [typeof(float)] = [typeof(double)],
    };

    /// <summary>True when every value of <paramref name="from"/> converts to <paramref name="to"/> and back unchanged.</summary>
    public static bool IsLosslessWidening(Type from, Type to)
    {
        if (from == to) return true;
        if (Nullable.GetUnderlyingType(to) == from) return true;
        if (from.IsEnum) return IsLosslessWidening(Enum.GetUnderlyingType(from), to);
        if (to.IsEnum) return Enum.GetUnderlyingType(to) == from;
        return Widenings.TryGetValue(from, out var targets) && targets.Contains(to);
    }

    /// <summary>Folds <paramref name="node"/> when all its operands are constants and evaluating it cannot throw.</summary>
    public Expression Fold(Expression node)
    {
        var operands = node switch
        {
            UnaryExpression u => [u.Operand],
            BinaryExpression b => [b.Left, b.Right],
            MethodCallExpression { Object: null } c => c.Arguments,
            _ => (IReadOnlyList<Expression>?)null,
        };
        if (operands is null || operands.Count == 0 || !operands.All(o => o is ConstantExpression)) return node;
        if (!ConstantEvaluator.IsFoldableOperator(node)) return node;
        return ConstantEvaluator.TryEvaluate(node, out var value) ? Constant(value, node.Type) : node;
    }
}
