using System.Linq.Expressions;

namespace Dsl.Codegen.Vector;

/// <summary>
/// Turns an IR body into straight-line vector code over one block of lanes: every node becomes a
/// <see cref="VectorValue"/> held in a local (shared nodes once), both arms of a conditional are computed and
/// blended, and every way the scalar IR could throw becomes an error lane mask instead of an exception (the
/// kernel re-runs a block with an error lane through the exact scalar path, so lanes that do not take an arm
/// never report its error, and reported errors are the scalar path's own). Throws
/// <see cref="NotVectorizableException"/> for anything else.
/// </summary>
internal sealed partial class VectorEmitter
{
    private readonly VectorShape _shape;
    private readonly bool _fastMath;
    private readonly HashSet<ParameterExpression> _assigned;
    private readonly Dictionary<Expression, VectorValue> _memo = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Expression, bool> _stable = new(ReferenceEqualityComparer.Instance);
    private readonly List<ParameterExpression> _variables = [];
    private readonly List<Expression> _statements = [];
    private Dictionary<ParameterExpression, VectorValue> _environment;
    private Expression? _pathErrors;

    public VectorEmitter(VectorShape shape, IReadOnlyDictionary<ParameterExpression, VectorValue> parameters, HashSet<ParameterExpression> assigned, bool fastMath = false)
    {
        _shape = shape;
        _fastMath = fastMath;
        _assigned = assigned;
        _environment = new Dictionary<ParameterExpression, VectorValue>(parameters);
    }

    /// <summary>Locals the emitted statements assign.</summary>
    public IReadOnlyList<ParameterExpression> Variables => _variables;

    /// <summary>The emitted statements, in order.</summary>
    public IReadOnlyList<Expression> Statements => _statements;

    /// <summary>Emits the body; the result's errors include those of statements on the way.</summary>
    public VectorValue EmitBody(Expression body)
    {
        var result = Emit(body);
        return result with { Errors = ErrorOr(_pathErrors, result.Errors) };
    }

    private VectorValue Emit(Expression node)
    {
        if (_memo.TryGetValue(node, out var known)) return known;
        var value = node switch
        {
            ParameterExpression parameter => _environment.TryGetValue(parameter, out var bound)
                ? bound : throw new NotVectorizableException($"variable {parameter.Name} is read before it is assigned"),
            ConstantExpression constant => Constant(constant.Type, constant.Value),
            DefaultExpression when node.Type != typeof(void) => Constant(node.Type, node.Type.IsValueType ? Activator.CreateInstance(node.Type) : null),
            // A throw (a has-one member read where there is no related row) fails every lane that reaches it; the scalar
            // re-run of the block throws the exception itself, on exactly the lanes that take the throwing arm.
            UnaryExpression { NodeType: ExpressionType.Throw } when node.Type != typeof(void)
                => Constant(node.Type, node.Type.IsValueType ? Activator.CreateInstance(node.Type) : null) with { Errors = _shape.AllLanes },
            UnaryExpression unary => Unary(unary),
            BinaryExpression binary => Binary(binary),
            ConditionalExpression conditional => Conditional(conditional),
            MemberExpression member => Member(member),
            MethodCallExpression call => Call(call),
            BlockExpression block => Block(block),
            _ => throw new NotVectorizableException($"{node.NodeType} nodes"),
        };
        if (node is not ParameterExpression && IsStable(node)) _memo[node] = value;
        return value;
    }

    /// <summary>Lane element for an IR type (int for 1- and 2-byte integers), checking it fits the kernel's shape.</summary>
    private Type LaneElement(Type type)
    {
        var element = Nullable.GetUnderlyingType(type) ?? type;
        if (element == typeof(bool)) return _shape.MaskElement;
        if (!VectorTypes.IsLaneType(element)) throw new NotVectorizableException($"values of type {type.Name}");
        var lane = VectorTypes.LaneOf(element);
        if (VectorTypes.SizeOf(lane) > _shape.LaneBytes) throw new NotVectorizableException($"{element.Name} values in {_shape.LaneBytes}-byte lanes");
        return lane;
    }

    private VectorValue Constant(Type type, object? value)
    {
        var element = LaneElement(type);
        if (value is null) return new VectorValue(type, _shape.Zero(element), _shape.Zero(_shape.MaskElement));
        if (value is bool flag) return new VectorValue(type, flag ? _shape.AllLanes : _shape.Zero(_shape.MaskElement));
        // A local time is converted to UTC when written; tick lanes carry no kind, so such values stay scalar.
        if (value is DateTime { Kind: DateTimeKind.Local }) throw new NotVectorizableException("a local DateTime constant");
        if (value is DateTime dateTime) value = dateTime.Ticks;
        if (value is TimeSpan timeSpan) value = timeSpan.Ticks;
        return new VectorValue(type, Let(_shape.Splat(element, Expression.Constant(System.Convert.ChangeType(value, element), element)), "constant"));
    }

    private VectorValue Block(BlockExpression block)
    {
        foreach (var variable in block.Variables)
        {
            var element = LaneElement(variable.Type);
            _environment[variable] = new VectorValue(variable.Type, _shape.Zero(element), Nullable.GetUnderlyingType(variable.Type) is null ? null : _shape.Zero(_shape.MaskElement));
        }

        for (int e = 0; e < block.Expressions.Count - 1; e++) Statement(block.Expressions[e]);
        var last = block.Expressions[^1];
        if (block.Type == typeof(void))
        {
            Statement(last);
            return new VectorValue(typeof(void), Expression.Empty());
        }

        return Emit(last);
    }

    /// <summary>Emits a node for its effects (assignments, errors); its value is dropped.</summary>
    private void Statement(Expression node)
    {
        if (node is DefaultExpression { Type: var type } && type == typeof(void)) return;
        if (node is ConditionalExpression { Type: var conditionalType } conditional && conditionalType == typeof(void))
        {
            _ = Conditional(conditional);
            return;
        }

        var value = Emit(node);
        _pathErrors = ErrorOr(_pathErrors, value.Errors);
    }

    /// <summary>Holds a vector expression in a fresh local (so it is computed once).</summary>
    private ParameterExpression Let(Expression value, string name)
    {
        if (value is ParameterExpression existing) return existing;
        var local = Expression.Variable(value.Type, name + _variables.Count);
        _variables.Add(local);
        _statements.Add(Expression.Assign(local, value));
        return local;
    }

    /// <summary>Whether a node's value is the same wherever it appears (reads no reassigned variable).</summary>
    private bool IsStable(Expression node)
    {
        if (_stable.TryGetValue(node, out var stable)) return stable;
        var check = new MutableReadFinder(this, node);
        check.Visit(node);
        _stable[node] = !check.Found;
        return !check.Found;
    }

    /// <summary>
    /// Finds a read of an assigned variable (or a block) under <paramref name="root"/>; children are answered
    /// through <see cref="IsStable"/>, whose cache makes the check linear in the size of the shared IR.
    /// </summary>
    private sealed class MutableReadFinder(VectorEmitter owner, Expression root) : ExpressionVisitor
    {
        public bool Found { get; private set; }

        public override Expression? Visit(Expression? node)
        {
            if (Found || node is null) return node;
            if (ReferenceEquals(node, root) || node is ParameterExpression or BlockExpression) return base.Visit(node);
            Found = !owner.IsStable(node);
            return node;
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (owner._assigned.Contains(node)) Found = true;
            return node;
        }

        protected override Expression VisitBlock(BlockExpression node)
        {
            Found = true;
            return node;
        }
    }
}
