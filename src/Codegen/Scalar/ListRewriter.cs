using System.Linq.Expressions;
using System.Reflection;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;

namespace Dsl.Codegen.Scalar;

/// <summary>
/// Reads array parameters bound to list columns straight from the list offsets and child column when the IR
/// only indexes them, reads their length and compares them with null (as reduced list aggregates and array
/// loops do), possibly through locals assigned once from the parameter: no array is created per row.
/// Semantics are the array's: length or index of a null list throws <see cref="NullReferenceException"/>, an
/// index outside the list throws <see cref="IndexOutOfRangeException"/>.
/// </summary>
internal sealed class ListRewriter : SharingVisitor
{
    private static readonly MethodInfo s_readInt = typeof(NativeAccess).GetMethod(nameof(NativeAccess.Read))!.MakeGenericMethod(typeof(int));
    private static readonly ConstructorInfo s_nullReference = typeof(NullReferenceException).GetConstructor([])!;
    private static readonly ConstructorInfo s_indexOutOfRange = typeof(IndexOutOfRangeException).GetConstructor([])!;
    private readonly Dictionary<ParameterExpression, ColumnLocals> _lists;
    private readonly Expression _row;

    private ListRewriter(Dictionary<ParameterExpression, ColumnLocals> lists, Expression row)
    {
        _lists = lists;
        _row = row;
    }

    /// <summary>Rewrites the eligible list parameters (and their aliases); other uses leave a parameter alone.</summary>
    public static Expression Rewrite(Expression body, IReadOnlyList<ParameterExpression> parameters, IReadOnlyList<ColumnLocals> columns, Expression row)
    {
        var lists = new Dictionary<ParameterExpression, ColumnLocals>();
        for (int k = 0; k < parameters.Count; k++)
        {
            if (parameters[k].Type.IsSZArray && columns[k].Layout.Encoding == ColumnEncoding.List) lists[parameters[k]] = columns[k];
        }

        if (lists.Count == 0) return body;
        var census = new Census(lists.Keys);
        census.Visit(body);
        foreach (var (alias, source) in census.Aliases)
        {
            if (lists.TryGetValue(source, out var column) && !census.Blocked.Contains(alias)) lists[alias] = column;
        }

        foreach (var (alias, source) in census.Aliases)
        {
            if (census.Blocked.Contains(alias)) census.Blocked.Add(source);
        }

        foreach (var blocked in census.Blocked) lists.Remove(blocked);
        foreach (var (alias, source) in census.Aliases)
        {
            if (!lists.ContainsKey(source)) lists.Remove(alias);
        }

        return lists.Count == 0 ? body : new ListRewriter(lists, row).Visit(body)!;
    }

    protected override Expression Rewrite(Expression node)
    {
        switch (node)
        {
            case BinaryExpression { NodeType: ExpressionType.Assign, Left: ParameterExpression alias, Right: ParameterExpression } when _lists.ContainsKey(alias):
                return Expression.Empty();
            case UnaryExpression { NodeType: ExpressionType.ArrayLength, Operand: ParameterExpression list } when _lists.TryGetValue(list, out var column):
                return Expression.Block(
                    Expression.IfThen(Expression.Not(ColumnAccess.IsValid(column, _row)), Expression.Throw(Expression.New(s_nullReference))),
                    Count(column));
            case BinaryExpression { NodeType: ExpressionType.ArrayIndex, Left: ParameterExpression list } index when _lists.TryGetValue(list, out var column):
                {
                    var position = Expression.Variable(typeof(int), "index");
                    var (start, _) = ColumnAccess.ListBounds(column, _row);
                    return Expression.Block(index.Type, [position],
                        Expression.Assign(position, Visit(index.Right)!),
                        Expression.IfThen(Expression.Not(ColumnAccess.IsValid(column, _row)), Expression.Throw(Expression.New(s_nullReference))),
                        Expression.IfThen(Expression.GreaterThanOrEqual(Expression.Convert(position, typeof(uint)), Expression.Convert(Count(column), typeof(uint))),
                            Expression.Throw(Expression.New(s_indexOutOfRange))),
                        ColumnAccess.Read(column.Element!, Expression.Add(start, Expression.Convert(position, typeof(long))), index.Type));
                }

            case BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual } compare when NullCheckOf(compare) is { } list && _lists.TryGetValue(list, out var column):
                {
                    Expression isNull = Expression.Not(ColumnAccess.IsValid(column, _row));
                    return compare.NodeType == ExpressionType.Equal ? isNull : Expression.Not(isNull);
                }
        }

        return base.Rewrite(node);
    }

    private Expression Count(ColumnLocals column) =>
        Expression.Subtract(Expression.Call(s_readInt, column.Offsets, Expression.Increment(_row)), Expression.Call(s_readInt, column.Offsets, _row));

    /// <summary>The parameter of <c>p == null</c> / <c>p != null</c> (reference comparison), else null.</summary>
    private static ParameterExpression? NullCheckOf(BinaryExpression compare) =>
        compare.Method is not null ? null
        : compare.Left is ParameterExpression left && compare.Right is ConstantExpression { Value: null } ? left
        : compare.Right is ParameterExpression right && compare.Left is ConstantExpression { Value: null } ? right
        : null;

    /// <summary>Finds aliases (locals assigned from a list parameter) and parameters or aliases used otherwise.</summary>
    private sealed class Census(IEnumerable<ParameterExpression> lists) : SharingVisitor
    {
        private readonly HashSet<ParameterExpression> _lists = [.. lists];
        private readonly Dictionary<ParameterExpression, int> _assignments = [];

        public Dictionary<ParameterExpression, ParameterExpression> Aliases { get; } = [];

        public HashSet<ParameterExpression> Blocked { get; } = [];

        /// <summary>Declaring a variable is not a use (the base visitor visits declarations after the body).</summary>
        protected override Expression VisitBlock(BlockExpression node)
        {
            foreach (var expression in node.Expressions) Visit(expression);
            return node;
        }

        protected override Expression Rewrite(Expression node)
        {
            switch (node)
            {
                case BinaryExpression { NodeType: ExpressionType.Assign, Left: ParameterExpression target } assign:
                    _assignments[target] = _assignments.GetValueOrDefault(target) + 1;
                    if (assign.Right is ParameterExpression source && _lists.Contains(source) && target.Type == source.Type)
                    {
                        if (!Aliases.TryAdd(target, source) || _assignments[target] > 1) Blocked.Add(target);
                        _lists.Add(target);
                        return node;
                    }

                    if (_lists.Contains(target) || Aliases.ContainsKey(target)) Blocked.Add(target);
                    Visit(assign.Right);
                    return node;
                case UnaryExpression { NodeType: ExpressionType.ArrayLength, Operand: ParameterExpression list } when _lists.Contains(list):
                    return node;
                case BinaryExpression { NodeType: ExpressionType.ArrayIndex, Left: ParameterExpression list } index when _lists.Contains(list):
                    Visit(index.Right);
                    return node;
                case BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual } compare when NullCheckOf(compare) is { } list && _lists.Contains(list):
                    return node;
                case ParameterExpression parameter when _lists.Contains(parameter):
                    Blocked.Add(parameter);
                    return node;
            }

            return base.Rewrite(node);
        }
    }
}
