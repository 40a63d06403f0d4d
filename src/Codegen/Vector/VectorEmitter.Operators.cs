using System.Linq.Expressions;

namespace Dsl.Codegen.Vector;

/// <summary>
/// Arithmetic, bitwise and comparison operators, lifted over nullable operands (a lane is null when either
/// operand is). Vector operations are used where they are bit-identical to the scalar operator (IEEE
/// add/subtract/multiply/divide, wrapping integer add/subtract/multiply, bitwise ops, ordered comparisons);
/// integer division and remainder, which have no vector instruction, run per lane with their failing lanes
/// (zero divisor, MinValue / -1) flagged as errors and given a harmless divisor.
/// </summary>
internal sealed partial class VectorEmitter
{
    private VectorValue Binary(BinaryExpression node)
    {
        switch (node.NodeType)
        {
            case ExpressionType.Assign: return Assign(node);
            case ExpressionType.AndAlso: return AndAlso(node, isAnd: true);
            case ExpressionType.OrElse: return AndAlso(node, isAnd: false);
            case ExpressionType.Coalesce: return Coalesce(node);
        }

        if (node.Method is not null) return TemporalOperator(node);
        var left = Emit(node.Left);
        var right = Emit(node.Right);
        var element = left.Element;
        if (element != right.Element) throw new NotVectorizableException($"{node.NodeType} of {left.Element.Name} and {right.Element.Name}");
        var valid = ValidAnd(left.Valid, right.Valid);
        var errors = ErrorOr(left.Errors, right.Errors);
        bool isComparison = node.NodeType is ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual
            or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual;

        // C# promotes 1- and 2-byte integers to int before arithmetic; their int lanes are only compared here.
        if (VectorTypes.IsSmallInteger(element) && !isComparison) throw new NotVectorizableException($"{node.NodeType} on {element.Name}");
        return node.NodeType switch
        {
            _ when isComparison => Comparison(node, left, right, errors),
            _ when element == typeof(bool) => Logical(node, left, right, valid, errors),
            _ => Arithmetic(node, left, right, valid, errors),
        };
    }

    private VectorValue Arithmetic(BinaryExpression node, VectorValue left, VectorValue right, Expression? valid, Expression? errors)
    {
        var element = left.Element;
        var lane = LaneElement(element);
        Expression Op(string name) => Let(_shape.Call(name, lane, left.Values, right.Values), name.ToLowerInvariant());
        bool isFloat = VectorTypes.IsFloatingPoint(element);
        switch (node.NodeType)
        {
            case ExpressionType.Add: return new VectorValue(node.Type, Op("Add"), valid, errors);
            case ExpressionType.Subtract: return new VectorValue(node.Type, Op("Subtract"), valid, errors);
            case ExpressionType.Multiply: return new VectorValue(node.Type, Op("Multiply"), valid, errors);
            case ExpressionType.Divide when isFloat: return new VectorValue(node.Type, Op("Divide"), valid, errors);
            case ExpressionType.Modulo when isFloat:
                return new VectorValue(node.Type, PerLane(lane, args => Expression.Modulo(args[0], args[1]), left.Values, right.Values), valid, errors);
            case ExpressionType.Divide:
            case ExpressionType.Modulo:
                return IntegerDivision(node, left, right, valid, errors);
            case ExpressionType.And when !isFloat: return new VectorValue(node.Type, Op("BitwiseAnd"), valid, errors);
            case ExpressionType.Or when !isFloat: return new VectorValue(node.Type, Op("BitwiseOr"), valid, errors);
            case ExpressionType.ExclusiveOr when !isFloat: return new VectorValue(node.Type, Op("Xor"), valid, errors);
            case ExpressionType.AddChecked or ExpressionType.SubtractChecked when !isFloat:
                return CheckedAddSubtract(node, left, right, valid, errors);
            case ExpressionType.AddChecked or ExpressionType.SubtractChecked or ExpressionType.MultiplyChecked when isFloat:
                return new VectorValue(node.Type, Op(node.NodeType == ExpressionType.AddChecked ? "Add" : node.NodeType == ExpressionType.SubtractChecked ? "Subtract" : "Multiply"), valid, errors);
            default:
                throw new NotVectorizableException($"{node.NodeType} on {element.Name}");
        }
    }

    private VectorValue IntegerDivision(BinaryExpression node, VectorValue left, VectorValue right, Expression? valid, Expression? errors)
    {
        var element = left.Element;
        var zero = _shape.Zero(element);
        var fails = AsMask(_shape.Call("Equals", element, right.Values, zero));
        if (VectorTypes.IsSigned(element))
        {
            var minValue = _shape.Splat(element, Expression.Constant(element == typeof(long) ? (object)long.MinValue : int.MinValue, element));
            var minusOne = _shape.Splat(element, Expression.Constant(element == typeof(long) ? (object)-1L : -1, element));
            var overflow = MaskAnd(AsMask(_shape.Call("Equals", element, left.Values, minValue)), AsMask(_shape.Call("Equals", element, right.Values, minusOne)));
            fails = MaskOr(fails, overflow);
        }
        else
        {
            fails = Let(fails, "divideByZero");
        }

        var one = _shape.Splat(element, Expression.Constant(System.Convert.ChangeType(1, element), element));
        var safeDivisor = Select(fails, one, right.Values);
        var quotient = PerLane(element, args => node.NodeType == ExpressionType.Divide ? Expression.Divide(args[0], args[1]) : Expression.Modulo(args[0], args[1]),
            left.Values, safeDivisor);
        return new VectorValue(node.Type, quotient, valid, ErrorOr(errors, ErrorWhere(fails, valid)));
    }

    private VectorValue CheckedAddSubtract(BinaryExpression node, VectorValue left, VectorValue right, Expression? valid, Expression? errors)
    {
        var element = VectorTypes.LaneOf(left.Element);
        bool add = node.NodeType is ExpressionType.AddChecked or ExpressionType.Add;
        var result = Let(_shape.Call(add ? "Add" : "Subtract", element, left.Values, right.Values), "sum");
        Expression overflow;
        if (VectorTypes.IsSigned(element))
        {
            // Signed overflow iff the operands' signs make the result's sign impossible.
            var signs = add
                ? _shape.Call("BitwiseAnd", element, _shape.Call("Xor", element, left.Values, result), _shape.Call("Xor", element, right.Values, result))
                : _shape.Call("BitwiseAnd", element, _shape.Call("Xor", element, left.Values, right.Values), _shape.Call("Xor", element, left.Values, result));
            overflow = AsMask(_shape.Call("LessThan", element, signs, _shape.Zero(element)));
        }
        else
        {
            overflow = AsMask(add ? _shape.Call("LessThan", element, result, left.Values) : _shape.Call("LessThan", element, left.Values, right.Values));
        }

        return new VectorValue(node.Type, result, valid, ErrorOr(errors, ErrorWhere(Let(overflow, "overflow"), valid)));
    }

    /// <summary>
    /// <c>&amp;</c>, <c>|</c>, <c>^</c> on bool and bool?. On bool? they are C#'s three-valued (Kleene) operators:
    /// <c>null &amp; false</c> is false and <c>null | true</c> is true, so a lane is known when both operands
    /// are, or when one known operand decides it; <c>^</c> is null when either operand is.
    /// </summary>
    private VectorValue Logical(BinaryExpression node, VectorValue left, VectorValue right, Expression? valid, Expression? errors)
    {
        if (valid is null || node.NodeType == ExpressionType.ExclusiveOr)
        {
            var values = node.NodeType switch
            {
                ExpressionType.And => MaskAnd(left.Values, right.Values),
                ExpressionType.Or => MaskOr(left.Values, right.Values),
                ExpressionType.ExclusiveOr => Let(_shape.Call("Xor", _shape.MaskElement, left.Values, right.Values), "xor"),
                _ => throw new NotVectorizableException($"{node.NodeType} on bool"),
            };
            return new VectorValue(node.Type, values, valid, errors);
        }

        var leftValid = ValidOrAll(left);
        var rightValid = ValidOrAll(right);
        switch (node.NodeType)
        {
            case ExpressionType.And:
                var knownFalse = MaskOr(MaskAnd(leftValid, MaskNot(left.Values)), MaskAnd(rightValid, MaskNot(right.Values)));
                return new VectorValue(node.Type, MaskAnd(MaskAnd(left.Values, right.Values), valid), MaskOr(knownFalse, valid), errors);
            case ExpressionType.Or:
                var knownTrue = MaskOr(MaskAnd(leftValid, left.Values), MaskAnd(rightValid, right.Values));
                return new VectorValue(node.Type, knownTrue, MaskOr(knownTrue, valid), errors);
            default:
                throw new NotVectorizableException($"{node.NodeType} on bool?");
        }
    }

    private VectorValue Comparison(BinaryExpression node, VectorValue left, VectorValue right, Expression? errors)
    {
        var element = LaneElement(left.Type);
        Expression Compare(string name) => AsMask(_shape.Call(name, element, left.Values, right.Values));
        var equal = left.Element == typeof(bool)
            ? _shape.Call("OnesComplement", element, _shape.Call("Xor", element, left.Values, right.Values))
            : Compare("Equals");
        var compared = node.NodeType switch
        {
            ExpressionType.Equal => equal,
            ExpressionType.NotEqual => _shape.Call("OnesComplement", _shape.MaskElement, equal),
            ExpressionType.LessThan when left.Element != typeof(bool) => Compare("LessThan"),
            ExpressionType.LessThanOrEqual when left.Element != typeof(bool) => Compare("LessThanOrEqual"),
            ExpressionType.GreaterThan when left.Element != typeof(bool) => Compare("GreaterThan"),
            ExpressionType.GreaterThanOrEqual when left.Element != typeof(bool) => Compare("GreaterThanOrEqual"),
            _ => throw new NotVectorizableException($"{node.NodeType} on bool"),
        };
        var result = Let(compared, "compare");
        if (left.Valid is null && right.Valid is null) return new VectorValue(node.Type, result, null, errors);
        var both = ValidAnd(left.Valid, right.Valid)!;
        if (node.IsLiftedToNull) return new VectorValue(node.Type, result, both, errors);

        // C# lifted comparisons: null == null is true, null == x is false, null != x is true, null < x is false.
        Expression neither = node.NodeType is ExpressionType.Equal or ExpressionType.NotEqual
            ? MaskAnd(MaskNot(ValidOrAll(left)), MaskNot(ValidOrAll(right)))
            : both;
        Expression EqualLifted() => MaskOr(MaskAnd(Let(equal, "equal"), both), neither);
        var value = node.NodeType switch
        {
            ExpressionType.Equal => EqualLifted(),
            ExpressionType.NotEqual => MaskNot(EqualLifted()),
            _ => MaskAnd(result, both),
        };
        return new VectorValue(node.Type, value, null, errors);
    }

    /// <summary>
    /// Applies a scalar operation lane by lane (extract, compute, rebuild): exact by construction, for operations
    /// with no bit-identical vector form.
    /// </summary>
    private ParameterExpression PerLane(Type resultElement, Func<Expression[], Expression> operation, params Expression[] vectors)
    {
        var inputs = vectors.Select(v => Let(v, "lanes")).ToArray();
        var lanes = new Expression[_shape.Lanes];
        for (int lane = 0; lane < lanes.Length; lane++)
        {
            var scalars = inputs.Select(v => _shape.Call("GetElement", v.Type.GetGenericArguments()[0], v, Expression.Constant(lane))).ToArray();
            lanes[lane] = operation(scalars);
            if (lanes[lane].Type != resultElement) lanes[lane] = Expression.Convert(lanes[lane], resultElement);
        }

        var api = _shape.ApiOf(resultElement);
        var create = api.GetMethod("Create", Enumerable.Repeat(resultElement, lanes.Length).ToArray())
            ?? throw new NotVectorizableException($"{api.Name}.Create of {lanes.Length} {resultElement.Name}");
        return Let(Expression.Call(create, lanes), "perLane");
    }
}
