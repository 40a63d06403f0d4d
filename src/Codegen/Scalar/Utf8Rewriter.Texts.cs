using System.Linq.Expressions;
using System.Reflection;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen.Scalar;

/// <summary>Which string-valued expressions become texts, and how.</summary>
internal sealed partial class Utf8Rewriter
{
    /// <summary>
    /// <paramref name="node"/> (a string expression) as a <see cref="Utf8Text"/> expression, or null when some
    /// part of it must stay a string. Each node object converts once, so shared IR stays shared.
    /// </summary>
    private Expression? Text(Expression node)
    {
        if (_texts.TryGetValue(node, out var done)) return done;
        var text = Convert(node);
        _texts[node] = text;
        return text;
    }

    private Expression? Convert(Expression node)
    {
        switch (node)
        {
            case ParameterExpression parameter when _columns.TryGetValue(parameter, out var column):
                return Read(parameter, column.Column, column.Slot);
            case ConstantExpression { Value: null }:
                return Expression.Field(null, s_null);
            case ConstantExpression:
                return Constant(node);
            case BinaryExpression { NodeType: ExpressionType.ArrayIndex, Left: MethodCallExpression split, Right: ConstantExpression { Value: int index } }:
                return SplitPart(split, index);
            case ConditionalExpression conditional:
                {
                    if (Text(conditional.IfTrue) is not { } whenTrue || Text(conditional.IfFalse) is not { } whenFalse) return null;
                    return Expression.Condition(Visit(conditional.Test)!, whenTrue, whenFalse, typeof(Utf8Text));
                }

            case BinaryExpression { NodeType: ExpressionType.Coalesce, Conversion: null } coalesce:
                {
                    if (Text(coalesce.Left) is not { } left || Text(coalesce.Right) is not { } right) return null;
                    var first = Expression.Variable(typeof(Utf8Text), "coalesced");
                    return Expression.Block(typeof(Utf8Text), [first],
                        Expression.Assign(first, left),
                        Expression.Condition(Expression.Property(first, nameof(Utf8Text.IsNull)), right, first));
                }

            case BinaryExpression { NodeType: ExpressionType.Add, Method: { Name: nameof(string.Concat) } concat } add when concat.DeclaringType == typeof(string):
                {
                    // "a + b" on strings: string.Concat(string, string), or (object, object) over strings converted to object.
                    if (Text(StripToObject(add.Left)) is not { } left || Text(StripToObject(add.Right)) is not { } right || _nested > 0) return null;
                    return Ops(nameof(Utf8Ops.Concat), left, right, Arena);
                }

            case BlockExpression block when block.Expressions[^1].Type == typeof(string):
                {
                    if (Text(block.Expressions[^1]) is not { } last) return null;
                    return Expression.Block(typeof(Utf8Text), block.Variables, [.. block.Expressions.SkipLast(1).Select(Statement), last]);
                }

            case MethodCallExpression call when call.Method.DeclaringType == typeof(string):
                return call.Method.IsStatic ? StaticCall(call) : InstanceCall(call);
            default:
                return null;
        }
    }

    private static Expression StripToObject(Expression operand) =>
        operand is UnaryExpression { NodeType: ExpressionType.Convert, Operand: var inner } convert && convert.Type == typeof(object) && inner.Type == typeof(string) ? inner : operand;

    private Expression Read(ParameterExpression parameter, ColumnLocals column, int slot)
    {
        if (_reads.TryGetValue(parameter, out var read)) return read;
        read = Expression.Call(typeof(Utf8Ops), nameof(Utf8Ops.Read), null, column.Offsets, column.Values, _row, _rowLimit,
            Expression.Constant(column.Layout.Encoding == ColumnEncoding.LargeUtf8), ColumnAccess.IsValid(column, _row), Arena, Expression.Constant(slot));
        _reads[parameter] = read;
        return read;
    }

    /// <summary><c>text.Split(separator)[index]</c> with one non-surrogate char or a non-empty well-formed string and no options.</summary>
    private Expression? SplitPart(MethodCallExpression split, int index)
    {
        if (split.Method.DeclaringType != typeof(string) || split.Method.IsStatic) return null;
        var separator = SplitSeparator(split);
        if (separator is null || separator.Length == 0 || !Utf8Ops.IsWellFormed(separator)) return null;
        if (Text(split.Object!) is not { } text) return null;
        return separator is [< (char)0x80]
            ? Ops(nameof(Utf8Ops.SplitPartAtByte), text, Expression.Constant((byte)separator[0]), Expression.Constant(index))
            : Ops(nameof(Utf8Ops.SplitPart), text, Constant(Expression.Constant(separator))!, Expression.Constant(index));
    }

    private static string? SplitSeparator(MethodCallExpression split)
    {
        var parameters = split.Method.GetParameters();
        var arguments = split.Arguments;
        bool noOptions = parameters.Length == 1
            || (parameters.Length == 2 && parameters[1].ParameterType == typeof(StringSplitOptions) && arguments[1] is ConstantExpression { Value: StringSplitOptions.None });
        if (!noOptions) return null;
        return arguments[0] switch
        {
            ConstantExpression { Value: char c } => c.ToString(),
            ConstantExpression { Value: string s } => s,
            ConstantExpression { Value: char[] { Length: 1 } chars } => chars[0].ToString(),
            NewArrayExpression { NodeType: ExpressionType.NewArrayInit, Expressions: [ConstantExpression { Value: char c }] } => c.ToString(),
            _ => null,
        };
    }

    private Expression? InstanceCall(MethodCallExpression call)
    {
        var name = call.Method.Name;
        if (call.Arguments.Count == 0 && _nested == 0 && name is nameof(string.ToLowerInvariant) or nameof(string.ToUpperInvariant))
            return Text(call.Object!) is { } cased ? Ops(name, cased, Arena) : null;
        if (call.Arguments.Count == 0 && name is nameof(string.Trim) or nameof(string.TrimStart) or nameof(string.TrimEnd))
            return Text(call.Object!) is { } trimmed ? Ops(name, trimmed) : null;
        if (name == nameof(string.Substring) && call.Arguments.Count is 1 or 2)
        {
            // A slice needs no arena; a cut through a surrogate pair retries the row on strings.
            if (Text(call.Object!) is not { } whole) return null;
            _mayRetry = true;
            return Ops(nameof(Utf8Ops.Substring), [whole, .. call.Arguments.Select(a => Visit(a)!)]);
        }

        if (name is nameof(string.PadLeft) or nameof(string.PadRight) && _nested == 0)
        {
            // The padding is a constant char that is not a surrogate (a space when not given).
            var padding = call.Arguments.Count == 1 ? ' ' : call.Arguments[1] is ConstantExpression { Value: char c } && !char.IsSurrogate(c) ? c : (char?)null;
            if (padding is null || Text(call.Object!) is not { } padded) return null;
            return Ops(name, padded, Visit(call.Arguments[0])!, Constant(Expression.Constant(padding.Value.ToString()))!, Arena);
        }

        bool ordinalReplace = call.Arguments.Count == 2
            || call.Arguments.Count == 3 && call.Arguments[2] is ConstantExpression { Value: StringComparison.Ordinal };
        if (name == nameof(string.Replace) && ordinalReplace && _nested == 0)
        {
            var (oldValue, newValue) = (ReplaceOperand(call.Arguments[0]), ReplaceOperand(call.Arguments[1]));
            if (oldValue is not { Length: > 0 } || newValue is null || Text(call.Object!) is not { } target) return null;
            return Ops(nameof(Utf8Ops.Replace), target, Constant(Expression.Constant(oldValue))!, Constant(Expression.Constant(newValue))!, Arena);
        }

        return null;
    }

    /// <summary>A Replace operand as a well-formed string (a null new value removes), or null when it is not constant.</summary>
    private static string? ReplaceOperand(Expression argument) => argument switch
    {
        ConstantExpression { Value: char c } when !char.IsSurrogate(c) => c.ToString(),
        ConstantExpression { Value: string s } when Utf8Ops.IsWellFormed(s) => s,
        ConstantExpression { Value: null, Type: var t } when t == typeof(string) => string.Empty,
        _ => null,
    };

    private Expression? StaticCall(MethodCallExpression call)
    {
        if (_nested > 0) return null;
        if (call.Method.Name == nameof(string.Join)) return Join(call);
        if (call.Method.Name != nameof(string.Concat)) return null;
        var parameters = call.Method.GetParameters();
        IReadOnlyList<Expression>? parts = parameters.All(p => p.ParameterType == typeof(string)) ? call.Arguments
            : parameters is [{ ParameterType: var array }] && array == typeof(string[]) ? ArrayLiteral(call.Arguments[0])
            : null;
        if (parts is null || parts.Count < 2) return null;
        var texts = new List<Expression>();
        foreach (var part in parts)
        {
            if (Text(part) is not { } text) return null;
            texts.Add(text);
        }

        return ConcatTexts(texts);
    }

    /// <summary>The elements of an array literal <c>new string[] { … }</c>; null for any other array.</summary>
    private static IReadOnlyList<Expression>? ArrayLiteral(Expression array) =>
        array is NewArrayExpression { NodeType: ExpressionType.NewArrayInit } init ? init.Expressions : null;

    /// <summary>
    /// <c>string.Join(separator, a, b, …)</c> over an array literal with a constant separator (a string, or a char
    /// that is not a surrogate): the parts with the separator between them, a null part or separator counting as
    /// empty — a concat of texts.
    /// </summary>
    private Expression? Join(MethodCallExpression call)
    {
        var parameters = call.Method.GetParameters();
        if (parameters.Length != 2 || parameters[1].ParameterType != typeof(string[]) || ArrayLiteral(call.Arguments[1]) is not { Count: > 0 } parts) return null;
        var separator = call.Arguments[0] switch
        {
            ConstantExpression { Value: char c } when !char.IsSurrogate(c) => c.ToString(),
            ConstantExpression { Value: string s } when Utf8Ops.IsWellFormed(s) => s,
            ConstantExpression { Value: null, Type: var t } when t == typeof(string) => string.Empty,
            _ => null,
        };
        if (separator is null) return null;
        var between = Constant(Expression.Constant(separator))!;
        var texts = new List<Expression>();
        foreach (var part in parts)
        {
            if (Text(part) is not { } text) return null;
            if (texts.Count > 0 && separator.Length > 0) texts.Add(between);
            texts.Add(text);
        }

        // One part is the part itself, a null part the empty string: a concat with the empty text gives both.
        if (texts.Count == 1) texts.Add(Constant(Expression.Constant(string.Empty))!);
        return ConcatTexts(texts);
    }

    private Expression ConcatTexts(List<Expression> texts)
    {
        // Parts are evaluated in order before any is copied; more than four are concatenated four at a time.
        while (texts.Count > 4)
        {
            var head = Ops(nameof(Utf8Ops.Concat), [.. texts.Take(4), Arena]);
            texts = [head, .. texts.Skip(4)];
        }

        return Ops(nameof(Utf8Ops.Concat), [.. texts, Arena]);
    }
}
