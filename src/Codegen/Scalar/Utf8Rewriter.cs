using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;

namespace Dsl.Codegen.Scalar;

/// <summary>
/// Rewrites string work over utf8 columns into <see cref="Utf8Ops"/> calls on <see cref="Utf8Text"/> values,
/// so the row loop reads and builds UTF-8 without a <see cref="string"/> per row. String-valued expressions
/// built from utf8 column parameters (never assigned) and well-formed constants by split part, replace,
/// trim, invariant casing, concat, conditionals and <c>??</c> become texts (<see cref="Utf8Text"/> typed); their
/// uses by length, equality, ordinal prefix/suffix/contains with constants and null/empty/white-space tests
/// become byte operations, a string-valued body is written to the output as UTF-8, and any other use gets the
/// string decoded from the text (one string where the original built several).
/// </summary>
/// <remarks>
/// Invariant: every rewritten expression evaluates its operands in the original order and throws the original
/// exception type and message. Text-building operations inside loops or nested lambdas are left as strings, so
/// a row's arena use is bounded by the operations the body names.
/// </remarks>
internal sealed partial class Utf8Rewriter : SharingVisitor
{
    private static readonly PropertyInfo s_length = typeof(string).GetProperty(nameof(string.Length))!;
    private static readonly FieldInfo s_null = typeof(Utf8Text).GetField(nameof(Utf8Text.Null))!;
    private static readonly MethodInfo s_stringSwitchHash = typeof(Lowering.Intrinsics.StringSwitchHash).GetMethod(nameof(Lowering.Intrinsics.StringSwitchHash.Compute))!;
    private readonly Dictionary<ParameterExpression, (ColumnLocals Column, int Slot)> _columns;
    private readonly Dictionary<Expression, Expression?> _texts = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ParameterExpression, Expression> _reads = [];
    private readonly Expression _row;
    private readonly Expression _rowLimit;
    private readonly ParameterExpression _arena;
    private int _nested;
    private bool _usesArena;
    private bool _mayRetry;

    private Utf8Rewriter(Dictionary<ParameterExpression, (ColumnLocals, int)> columns, Expression row, Expression rowLimit, ParameterExpression arena)
    {
        _columns = columns;
        _row = row;
        _rowLimit = rowLimit;
        _arena = arena;
    }

    /// <summary>
    /// Rewrites the string work of <paramref name="body"/>; a string-valued body may come back as a
    /// <see cref="Utf8Text"/>. <paramref name="arena"/> is the kernel's <see cref="Utf8Arena"/> local, which the
    /// caller rents, resets per row and returns only when <c>UsesArena</c>. When <c>MayRetry</c>, an operation
    /// may throw <see cref="Utf8RowRetry"/>, and the caller must then evaluate the row with the original body.
    /// <paramref name="rowLimit"/> (a long) bounds the rows a column read may look ahead at: the kernel run's end.
    /// </summary>
    public static (Expression Body, bool UsesArena, bool MayRetry) Rewrite(
        Expression body, IReadOnlyList<ParameterExpression> parameters, IReadOnlyList<ColumnLocals> columns, Expression row, Expression rowLimit,
        ParameterExpression arena)
    {
        var assigned = new AssignmentCensus();
        assigned.Visit(body);
        var candidates = new Dictionary<ParameterExpression, (ColumnLocals, int)>();
        for (int k = 0; k < parameters.Count; k++)
        {
            if (parameters[k].Type == typeof(string) && columns[k].Layout.Encoding is ColumnEncoding.Utf8 or ColumnEncoding.LargeUtf8
                && !assigned.Assigned.Contains(parameters[k]))
            {
                candidates[parameters[k]] = (columns[k], k);
            }
        }

        if (candidates.Count == 0) return (body, false, false);
        var rewriter = new Utf8Rewriter(candidates, row, rowLimit, arena);
        var rewritten = body.Type == typeof(string) && rewriter.Text(body) is { } text ? text : rewriter.Visit(body)!;
        return (rewritten, rewriter._usesArena, rewriter._mayRetry);
    }

    /// <summary>The arena local, for an operation that may write to it.</summary>
    private ParameterExpression Arena
    {
        get
        {
            _usesArena = true;
            return _arena;
        }
    }

    protected override Expression Rewrite(Expression node)
    {
        if (node is LoopExpression or LambdaExpression)
        {
            _nested++;
            try
            {
                return base.Rewrite(node);
            }
            finally
            {
                _nested--;
            }
        }

        if (Consumer(node) is { } consumer) return consumer;
        if (node.Type == typeof(string) && node is not (ParameterExpression or ConstantExpression) && Text(node) is { } text)
        {
            return Expression.Call(typeof(Utf8Ops), nameof(Utf8Ops.ToStringOrNull), null, text);
        }

        if (node is ConditionalExpression { Type: var type } conditional && type == typeof(void))
        {
            // An if statement: its arms' values are discarded too, so a string arm stays a text.
            return Expression.Condition(Visit(conditional.Test)!, Statement(conditional.IfTrue), Statement(conditional.IfFalse), typeof(void));
        }

        if (node is BlockExpression block)
        {
            var expressions = block.Expressions.Select((e, k) => k < block.Expressions.Count - 1 || block.Type == typeof(void) ? Statement(e) : Visit(e)!);
            return Expression.Block(block.Type, block.Variables, expressions);
        }

        return base.Rewrite(node);
    }

    /// <summary>
    /// An expression whose value is discarded (lowering keeps one to raise its exceptions in program order): a
    /// string as its text, <c>text.Split(separator)</c> as its only possible failure (a null text).
    /// </summary>
    private Expression Statement(Expression node)
    {
        if (node.Type == typeof(string) && node is not (ParameterExpression or ConstantExpression) && Text(node) is { } text) return text;
        if (node is MethodCallExpression { Method.Name: nameof(string.Split) } split && split.Method.DeclaringType == typeof(string)
            && SplitSeparator(split) is { Length: > 0 } separator && Utf8Ops.IsWellFormed(separator) && Text(split.Object!) is { } splitText)
        {
            return Ops(nameof(Utf8Ops.SplitEffect), splitText);
        }

        return Visit(node)!;
    }

    /// <summary>A use of texts that yields a non-string value, as a byte operation; null if it is none.</summary>
    private Expression? Consumer(Expression node)
    {
        switch (node)
        {
            case MemberExpression member when member.Member == s_length && Text(member.Expression!) is { } text:
                return Ops(nameof(Utf8Ops.Length), text);
            case BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual } binary
                when binary.Left.Type == typeof(string) && binary.Right.Type == typeof(string):
                {
                    // Without op_Equality, == on strings compares references: only a test against null is exact.
                    bool byValue = binary.Method is not null || IsNull(binary.Left) || IsNull(binary.Right);
                    if (!byValue || Text(binary.Left) is not { } left || Text(binary.Right) is not { } right) return null;
                    var equal = Ops(nameof(Utf8Ops.Equal), left, right);
                    return binary.NodeType == ExpressionType.NotEqual ? Expression.Not(equal) : equal;
                }

            case MethodCallExpression call when call.Method.DeclaringType == typeof(string) && call.Type == typeof(bool):
                return Predicate(call);
            case MethodCallExpression { Method.Name: nameof(string.IndexOf) or nameof(string.LastIndexOf), Object: { } target } call when call.Method.DeclaringType == typeof(string):
                return IndexOf(call, target);
            case MethodCallExpression { Method.Name: "get_Chars", Object: { } indexed, Arguments: [var index] } call when call.Method.DeclaringType == typeof(string):
                return Text(indexed) is { } characters ? Ops(nameof(Utf8Ops.CharAt), characters, Visit(index)!) : null;
            case MethodCallExpression { Method.Name: nameof(string.CompareOrdinal), Arguments: [var first, var second] } call when call.Method.DeclaringType == typeof(string):
                return Text(first) is { } a && Text(second) is { } b ? Ops(nameof(Utf8Ops.CompareOrdinal), a, b) : null;
            case MethodCallExpression { Arguments: [var hashed] } call when call.Method == s_stringSwitchHash:
                return Text(hashed) is { } switched ? Ops(nameof(Utf8Ops.StringHash), switched) : null;
            case UnaryExpression { NodeType: ExpressionType.ArrayLength, Operand: MethodCallExpression { Method.Name: nameof(string.Split) } split }
                when split.Method.DeclaringType == typeof(string) && !split.Method.IsStatic:
                return SplitCount(split);
            default:
                return null;
        }
    }

    private Expression? Predicate(MethodCallExpression call)
    {
        var method = call.Method;
        var parameters = method.GetParameters();
        if (method.IsStatic)
        {
            if (method.Name is nameof(string.IsNullOrEmpty) or nameof(string.IsNullOrWhiteSpace) && Text(call.Arguments[0]) is { } tested)
                return Ops(method.Name, tested);
            if (method.Name == nameof(string.Equals) && parameters.Length == 2 && parameters[1].ParameterType == typeof(string)
                && Text(call.Arguments[0]) is { } a && Text(call.Arguments[1]) is { } b)
                return Ops(nameof(Utf8Ops.Equal), a, b);
            return null;
        }

        if (call.Arguments.Count == 0 || parameters[0].ParameterType != typeof(string) || Constant(call.Arguments[0]) is not { } value) return null;
        if (call.Arguments is [ConstantExpression { Value: string ascii }, ConstantExpression { Value: StringComparison.OrdinalIgnoreCase }]
            && Ascii.IsValid(ascii) && method.Name is nameof(string.StartsWith) or nameof(string.EndsWith) or nameof(string.Equals))
        {
            return Text(call.Object!) is { } folded ? Ops(method.Name + "IgnoreCase", folded, value) : null;
        }

        bool ordinal = call.Arguments.Count == 1
            ? method.Name is nameof(string.Contains) or nameof(string.Equals)
            : call.Arguments.Count == 2 && call.Arguments[1] is ConstantExpression { Value: StringComparison.Ordinal };
        if (!ordinal || method.Name is not (nameof(string.StartsWith) or nameof(string.EndsWith) or nameof(string.Contains) or nameof(string.Equals))) return null;
        if (Text(call.Object!) is not { } target) return null;
        return Ops(method.Name == nameof(string.Equals) ? nameof(Utf8Ops.EqualsOrdinal) : method.Name, target, value);
    }

    /// <summary>
    /// <c>s.IndexOf(c)</c>, <c>s.IndexOf(c, Ordinal)</c> or <c>s.IndexOf(value, Ordinal)</c> with a well-formed constant,
    /// and the same overloads of <c>LastIndexOf</c> with a non-empty one (an empty value's last index is a special case).
    /// </summary>
    private Expression? IndexOf(MethodCallExpression call, Expression target)
    {
        bool last = call.Method.Name == nameof(string.LastIndexOf);
        var arguments = call.Arguments;
        bool ordinal = arguments.Count == 1 && arguments[0].Type == typeof(char)
            || arguments.Count == 2 && arguments[1] is ConstantExpression { Value: StringComparison.Ordinal };
        var value = arguments[0] switch
        {
            ConstantExpression { Value: char c } when !char.IsSurrogate(c) => c.ToString(),
            ConstantExpression { Value: string s } when Utf8Ops.IsWellFormed(s) => s,
            _ => null,
        };
        if (!ordinal || value is null || last && value.Length == 0 || Text(target) is not { } text) return null;
        return Ops(call.Method.Name, text, Constant(Expression.Constant(value))!);
    }

    /// <summary><c>s.Split(separator).Length</c> with a separator <see cref="SplitPart"/> accepts.</summary>
    private Expression? SplitCount(MethodCallExpression split)
    {
        var separator = SplitSeparator(split);
        if (separator is not { Length: > 0 } || !Utf8Ops.IsWellFormed(separator) || Text(split.Object!) is not { } text) return null;
        return Ops(nameof(Utf8Ops.SplitCount), text, Constant(Expression.Constant(separator))!);
    }

    private static MethodCallExpression Ops(string name, params Expression[] arguments) => Expression.Call(typeof(Utf8Ops), name, null, arguments);

    private static bool IsNull(Expression e) => e is ConstantExpression { Value: null };

    /// <summary>A well-formed, non-null string constant as a text; null otherwise.</summary>
    private static Expression? Constant(Expression e) =>
        e is ConstantExpression { Value: string text } && Utf8Ops.IsWellFormed(text)
            ? Expression.Call(typeof(Utf8Text), Ascii.IsValid(text) ? nameof(Utf8Text.OfAscii) : nameof(Utf8Text.Of), null, Expression.Constant(Utf8Text.PinnedUtf8(text)))
            : null;

    /// <summary>Finds parameters the IR assigns (their value is then not the column's).</summary>
    private sealed class AssignmentCensus : ExpressionVisitor
    {
        private readonly HashSet<Expression> _seen = new(ReferenceEqualityComparer.Instance);

        public HashSet<ParameterExpression> Assigned { get; } = [];

        // Each shared node once: the IR is a DAG, and a walk of it as a tree is exponential in its depth.
        public override Expression? Visit(Expression? node) => node is null || _seen.Add(node) ? base.Visit(node) : node;

        protected override Expression VisitBinary(BinaryExpression node)
        {
            if (node.NodeType == ExpressionType.Assign && node.Left is ParameterExpression p) Assigned.Add(p);
            return base.VisitBinary(node);
        }
    }
}
