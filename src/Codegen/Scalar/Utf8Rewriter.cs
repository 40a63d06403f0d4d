using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;

namespace Dsl.Codegen.Scalar;

/// <summary>
/// For each string parameter bound to a utf8 column whose every use is one of <c>s.Length</c>, <c>s == "c"</c>,
/// <c>s != "c"</c>, <c>s == null</c>, <c>s.StartsWith("c", Ordinal)</c>, <c>s.EndsWith("c", Ordinal)</c>,
/// <c>s.Contains("c")</c> or <c>string.IsNullOrEmpty(s)</c> (with well-formed constants), rewrites those uses
/// into <see cref="Utf8Ops"/> calls over the row's bytes, so the row loop never creates the string. A parameter
/// with any other use is left alone (and read as a string).
/// </summary>
internal sealed class Utf8Rewriter : SharingVisitor
{
    private static readonly PropertyInfo s_length = typeof(string).GetProperty(nameof(string.Length))!;
    private readonly Dictionary<ParameterExpression, ColumnLocals> _columns;
    private readonly Expression _row;

    private Utf8Rewriter(Dictionary<ParameterExpression, ColumnLocals> columns, Expression row)
    {
        _columns = columns;
        _row = row;
    }

    /// <summary>Rewrites the eligible parameters' uses; returns the body and the parameters no longer read.</summary>
    public static (Expression Body, IReadOnlySet<ParameterExpression> Replaced) Rewrite(
        Expression body, IReadOnlyList<ParameterExpression> parameters, IReadOnlyList<ColumnLocals> columns, Expression row)
    {
        var candidates = new Dictionary<ParameterExpression, ColumnLocals>();
        for (int k = 0; k < parameters.Count; k++)
        {
            if (parameters[k].Type == typeof(string) && columns[k].Layout.Encoding is ColumnEncoding.Utf8 or ColumnEncoding.LargeUtf8) candidates[parameters[k]] = columns[k];
        }

        if (candidates.Count == 0) return (body, new HashSet<ParameterExpression>());
        var census = new UseCensus(candidates.Keys);
        census.Visit(body);
        foreach (var blocked in census.OtherUses) candidates.Remove(blocked);
        if (candidates.Count == 0) return (body, new HashSet<ParameterExpression>());
        return (new Utf8Rewriter(candidates, row).Visit(body)!, candidates.Keys.ToHashSet());
    }

    protected override Expression Rewrite(Expression node)
    {
        if (Match(node, _columns.Keys) is { } use && _columns.TryGetValue(use.Parameter, out var column))
        {
            var large = Expression.Constant(column.Layout.Encoding == ColumnEncoding.LargeUtf8);
            var valid = ColumnAccess.IsValid(column, _row);
            Expression[] common = [column.Offsets, column.Values, _row, large, valid];
            Expression call = use.Operation switch
            {
                "IsNull" => Expression.Not(valid),
                "Length" or "IsNullOrEmpty" => Expression.Call(typeof(Utf8Ops), use.Operation, null, common),
                _ => Expression.Call(typeof(Utf8Ops), use.Operation, null,
                    [.. common, Expression.Constant(Encoding.UTF8.GetBytes(use.Constant!)), Expression.Constant(use.Constant)]),
            };
            return use.Negated ? Expression.Not(call) : call;
        }

        return base.Rewrite(node);
    }

    private sealed record Use(ParameterExpression Parameter, string Operation, string? Constant, bool Negated);

    /// <summary>The byte-level operation a node is, if it is one over a candidate parameter.</summary>
    private static Use? Match(Expression node, IEnumerable<ParameterExpression> candidates)
    {
        bool IsCandidate(Expression? e, out ParameterExpression p)
        {
            p = (e as ParameterExpression)!;
            return p is not null && candidates.Contains(p);
        }

        static string? Constant(Expression e) => e is ConstantExpression { Value: string text } && Utf8Ops.IsWellFormed(text) ? text : null;
        static bool IsNullConstant(Expression e) => e is ConstantExpression { Value: null };

        switch (node)
        {
            case MemberExpression member when member.Member == s_length && IsCandidate(member.Expression, out var p):
                return new Use(p, "Length", null, false);
            case BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual } binary
                when (binary.Method is null || binary.Method.DeclaringType == typeof(string)):
                {
                    bool negated = binary.NodeType == ExpressionType.NotEqual;
                    var (side, other) = IsCandidate(binary.Left, out var left) ? (left, binary.Right) : IsCandidate(binary.Right, out var right) ? (right, binary.Left) : (null, null);
                    if (side is null || other is null) return null;
                    if (IsNullConstant(other)) return new Use(side, "IsNull", null, negated);
                    // Without op_Equality, == on strings compares references: only null checks are byte-level.
                    return binary.Method is not null && Constant(other) is { } text ? new Use(side, "EqualsConstant", text, negated) : null;
                }

            case MethodCallExpression call when call.Method.DeclaringType == typeof(string):
                {
                    var parameters = call.Method.GetParameters();
                    if (call.Method.IsStatic && call.Method.Name == nameof(string.IsNullOrEmpty) && IsCandidate(call.Arguments[0], out var s)) return new Use(s, "IsNullOrEmpty", null, false);
                    if (!IsCandidate(call.Object, out var target) || call.Arguments.Count == 0 || parameters[0].ParameterType != typeof(string) || Constant(call.Arguments[0]) is not { } text) return null;
                    bool ordinal = call.Arguments.Count == 1 ? call.Method.Name == nameof(string.Contains)
                        : call.Arguments.Count == 2 && call.Arguments[1] is ConstantExpression { Value: StringComparison.Ordinal };
                    if (!ordinal) return null;
                    return call.Method.Name switch
                    {
                        nameof(string.StartsWith) => new Use(target, "StartsWith", text, false),
                        nameof(string.EndsWith) => new Use(target, "EndsWith", text, false),
                        nameof(string.Contains) => new Use(target, "Contains", text, false),
                        _ => null,
                    };
                }

            default:
                return null;
        }
    }

    /// <summary>Finds candidates used other than through a matched operation.</summary>
    private sealed class UseCensus(IEnumerable<ParameterExpression> candidates) : SharingVisitor
    {
        private readonly HashSet<ParameterExpression> _candidates = [.. candidates];

        public HashSet<ParameterExpression> OtherUses { get; } = [];

        protected override Expression Rewrite(Expression node)
        {
            if (Match(node, _candidates) is not null)
            {
                // The matched operation's other operands (constants) hold no candidate.
                return node;
            }

            if (node is ParameterExpression parameter && _candidates.Contains(parameter)) OtherUses.Add(parameter);
            return base.Rewrite(node);
        }
    }
}
