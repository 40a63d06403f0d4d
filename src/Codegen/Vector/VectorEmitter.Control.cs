using System.Linq.Expressions;

namespace Dsl.Codegen.Vector;

/// <summary>
/// Conditionals, short-circuit logic, <c>??</c> and assignments. Both arms are computed on every lane and
/// blended; an arm's errors count only on the lanes that take it, and variables an arm assigns are blended
/// the same way, so nested ifs, switches lowered to conditionals and <c>??</c> chains keep scalar semantics.
/// Invariant: a value's errors travel with the value (a memoized node is reused in other arms); only statements
/// (assignments, void conditionals) add to the path's errors.
/// </summary>
internal sealed partial class VectorEmitter
{
    private VectorValue Conditional(ConditionalExpression node)
    {
        var test = Emit(node.Test);
        var taken = test.Values;
        var saved = _environment;
        var outerErrors = _pathErrors;

        _environment = new Dictionary<ParameterExpression, VectorValue>(saved);
        _pathErrors = null;
        var ifTrue = node.Type == typeof(void) ? StatementValue(node.IfTrue) : Emit(node.IfTrue);
        var trueEnvironment = _environment;
        var trueErrors = ErrorOr(_pathErrors, ifTrue.Errors);

        _environment = new Dictionary<ParameterExpression, VectorValue>(saved);
        _pathErrors = null;
        var ifFalse = node.Type == typeof(void) ? StatementValue(node.IfFalse) : Emit(node.IfFalse);
        var falseEnvironment = _environment;
        var falseErrors = ErrorOr(_pathErrors, ifFalse.Errors);

        _environment = saved;
        var notTaken = MaskNot(taken);
        foreach (var variable in trueEnvironment.Keys.Union(falseEnvironment.Keys).ToList())
        {
            trueEnvironment.TryGetValue(variable, out var a);
            falseEnvironment.TryGetValue(variable, out var b);
            if (a is null || b is null)
            {
                _environment.Remove(variable);
                continue;
            }

            _environment[variable] = ReferenceEquals(a, b) ? a : Blend(taken, a, b, null);
        }

        var errors = ErrorOr(test.Errors, ErrorOr(ErrorWhere(trueErrors, taken), ErrorWhere(falseErrors, notTaken)));
        if (node.Type == typeof(void))
        {
            _pathErrors = ErrorOr(outerErrors, errors);
            return new VectorValue(typeof(void), Expression.Empty());
        }

        // A conditional's value carries its own errors, like any other value: a shared (hash-consed) conditional is
        // emitted once and reused from the memo in other arms, where errors left on the first arm's path would be
        // lost (fuzz seed 7, program 1722: p0 % p0 in a conditional shared by two arms of an if).
        _pathErrors = outerErrors;
        return Blend(taken, ifTrue, ifFalse, errors);
    }

    private VectorValue StatementValue(Expression node)
    {
        Statement(node);
        return new VectorValue(typeof(void), Expression.Empty());
    }

    /// <summary>Per lane: the value (and validity) of <paramref name="a"/> where taken, else of <paramref name="b"/>.</summary>
    private VectorValue Blend(Expression taken, VectorValue a, VectorValue b, Expression? errors)
    {
        var values = Select(taken, a.Values, b.Values);
        Expression? valid = a.Valid is null && b.Valid is null ? null : Select(taken, ValidOrAll(a), ValidOrAll(b));
        return new VectorValue(a.Type, values, valid, errors);
    }

    private VectorValue AndAlso(BinaryExpression node, bool isAnd)
    {
        if (node.Method is not null || node.Type != typeof(bool)) throw new NotVectorizableException($"{node.NodeType} over {node.Type.Name}");
        var left = Emit(node.Left);
        var right = Emit(node.Right);
        var runsRight = isAnd ? left.Values : MaskNot(left.Values);
        var values = isAnd ? MaskAnd(left.Values, right.Values) : MaskOr(left.Values, right.Values);
        return new VectorValue(typeof(bool), values, null, ErrorOr(left.Errors, ErrorWhere(right.Errors, runsRight)));
    }

    private VectorValue Coalesce(BinaryExpression node)
    {
        if (node.Conversion is not null || Nullable.GetUnderlyingType(node.Left.Type) is null) throw new NotVectorizableException("?? with a conversion or a reference type");
        var left = Emit(node.Left);
        var right = Emit(node.Right);
        if (left.Valid is null) return left with { Type = node.Type };
        var values = Select(left.Valid, left.Values, right.Values);
        Expression? valid = Nullable.GetUnderlyingType(node.Type) is null ? null : MaskOr(left.Valid, ValidOrAll(right));
        return new VectorValue(node.Type, values, valid, ErrorOr(left.Errors, ErrorWhere(right.Errors, MaskNot(left.Valid))));
    }

    private VectorValue Assign(BinaryExpression node)
    {
        if (node.Left is not ParameterExpression variable) throw new NotVectorizableException("assignment to a member or index");
        var value = Emit(node.Right);
        _pathErrors = ErrorOr(_pathErrors, value.Errors);
        var stored = value with { Type = variable.Type, Errors = null };
        _environment[variable] = stored;
        return stored;
    }
}
