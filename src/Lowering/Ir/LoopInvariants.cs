using System.Linq.Expressions;
using System.Reflection;
using static System.Linq.Expressions.Expression;

namespace Dsl.Lowering.Ir;

/// <summary>
/// The parts of an aggregate's lambdas that do not depend on the element — a filter's <c>Now - TimeSpan.FromDays(30)</c>,
/// a selector's <c>Math.Pow(rate, 2)</c> — computed once per reduction instead of once per element.
/// </summary>
/// <remarks>
/// Exact by construction: only pure, deterministic calls are hoisted (arithmetic and members of <see cref="DateTime"/>,
/// <see cref="DateTimeOffset"/>, <see cref="TimeSpan"/>, <see cref="DateOnly"/>, <see cref="TimeOnly"/> and
/// <see cref="Math"/>, never the clock), over constants and variables the lambda does not declare or assign. A hoisted part
/// stays where it was and is computed the first time evaluation reaches it, so evaluation order and exceptions are
/// unchanged: a part that throws throws where it did, and one a short-circuit skips is never computed.
/// </remarks>
internal sealed class LoopInvariants
{
    private static readonly HashSet<Type> s_pureTypes =
        [typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(DateOnly), typeof(TimeOnly), typeof(Math)];

    private static readonly HashSet<string> s_clockMembers = ["Now", "UtcNow", "Today"];

    private readonly List<ParameterExpression> _variables = [];
    private readonly List<ParameterExpression> _computed = [];

    /// <summary>The variables that hold hoisted values and their "computed" flags; declare them in the reduction's block.</summary>
    public IEnumerable<ParameterExpression> Variables => _variables.Concat(_computed);

    /// <summary>Clears the flags: run once at the start of each reduction, before the loop.</summary>
    public IEnumerable<Expression> Resets => _computed.Select(flag => (Expression)Assign(flag, Constant(false)));

    /// <summary><paramref name="lambda"/> with each maximal invariant part that calls something replaced by its lazily computed value.</summary>
    public LambdaExpression? Hoist(LambdaExpression? lambda)
    {
        if (lambda is null) return null;
        var declared = Declarations.Of(lambda);
        if (declared.Assigns) return lambda;
        var body = new Rewriter(this, declared.Variables).Visit(lambda.Body)!;
        return body == lambda.Body ? lambda : Lambda(lambda.Type, body, lambda.Name, lambda.Parameters);
    }

    private Expression ComputeOnce(Expression part)
    {
        var value = Variable(part.Type, $"invariant{_variables.Count}");
        var computed = Variable(typeof(bool), $"invariant{_variables.Count}Computed");
        _variables.Add(value);
        _computed.Add(computed);
        return Condition(computed, value, Block(Assign(value, part), Assign(computed, Constant(true)), value));
    }

    /// <summary>Replaces maximal invariant parts worth hoisting, top down.</summary>
    private sealed class Rewriter(LoopInvariants owner, HashSet<ParameterExpression> declared) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node)
        {
            if (node is null) return null;
            return IsInvariant(node) && CallsSomething(node) ? owner.ComputeOnce(node) : base.Visit(node);
        }

        private bool IsInvariant(Expression node) => node switch
        {
            ConstantExpression or DefaultExpression => true,
            ParameterExpression parameter => !declared.Contains(parameter),
            UnaryExpression unary => unary.NodeType is ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.Negate
                    or ExpressionType.NegateChecked or ExpressionType.Not or ExpressionType.UnaryPlus
                && unary.Type.IsValueType && IsPure(unary.Method) && IsInvariant(unary.Operand),
            BinaryExpression binary => binary.NodeType is not (ExpressionType.Assign or ExpressionType.ArrayIndex or ExpressionType.Coalesce)
                && !IsAssignment(binary.NodeType) && binary.Conversion is null
                && IsPure(binary.Method) && IsInvariant(binary.Left) && IsInvariant(binary.Right),
            MethodCallExpression call => IsPure(call.Method) && (call.Object is null || IsInvariant(call.Object)) && call.Arguments.All(IsInvariant),
            MemberExpression member => IsPureMember(member) && (member.Expression is null || IsInvariant(member.Expression)),
            ConditionalExpression conditional => IsInvariant(conditional.Test) && IsInvariant(conditional.IfTrue) && IsInvariant(conditional.IfFalse),
            _ => false,
        };

        private static bool IsPure(MethodInfo? method) =>
            method is null || (s_pureTypes.Contains(method.DeclaringType!) && !s_clockMembers.Contains(method.Name.Replace("get_", "", StringComparison.Ordinal))
                && method.ReturnType != typeof(void) && method.GetParameters().All(p => !p.ParameterType.IsByRef));

        private static bool IsPureMember(MemberExpression member) => member.Member switch
        {
            FieldInfo field => s_pureTypes.Contains(field.DeclaringType!) && (field.IsInitOnly || field.IsLiteral),
            PropertyInfo property => s_pureTypes.Contains(property.DeclaringType!) && !s_clockMembers.Contains(property.Name),
            _ => false,
        };

        private static bool CallsSomething(Expression node) => node switch
        {
            MethodCallExpression => true,
            BinaryExpression binary => binary.Method is not null || CallsSomething(binary.Left) || CallsSomething(binary.Right),
            UnaryExpression unary => unary.Method is not null || CallsSomething(unary.Operand),
            MemberExpression member => member.Member is PropertyInfo || (member.Expression is not null && CallsSomething(member.Expression)),
            ConditionalExpression conditional => CallsSomething(conditional.Test) || CallsSomething(conditional.IfTrue) || CallsSomething(conditional.IfFalse),
            _ => false,
        };
    }

    private static bool IsAssignment(ExpressionType type) => type is ExpressionType.Assign or ExpressionType.AddAssign
        or ExpressionType.AddAssignChecked or ExpressionType.SubtractAssign or ExpressionType.SubtractAssignChecked
        or ExpressionType.MultiplyAssign or ExpressionType.MultiplyAssignChecked or ExpressionType.DivideAssign
        or ExpressionType.ModuloAssign or ExpressionType.AndAssign or ExpressionType.OrAssign or ExpressionType.ExclusiveOrAssign
        or ExpressionType.LeftShiftAssign or ExpressionType.RightShiftAssign or ExpressionType.PowerAssign
        or ExpressionType.PreIncrementAssign or ExpressionType.PreDecrementAssign or ExpressionType.PostIncrementAssign
        or ExpressionType.PostDecrementAssign;

    /// <summary>Every variable a lambda declares (its parameters, blocks', nested lambdas' and catch blocks'), and whether it assigns any variable.</summary>
    private sealed class Declarations : ExpressionVisitor
    {
        public HashSet<ParameterExpression> Variables { get; } = [];

        public bool Assigns { get; private set; }

        public static Declarations Of(LambdaExpression lambda)
        {
            var found = new Declarations();
            found.Visit(lambda);
            return found;
        }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            Variables.UnionWith(node.Parameters);
            return base.VisitLambda(node);
        }

        protected override Expression VisitBlock(BlockExpression node)
        {
            Variables.UnionWith(node.Variables);
            return base.VisitBlock(node);
        }

        protected override CatchBlock VisitCatchBlock(CatchBlock node)
        {
            if (node.Variable is not null) Variables.Add(node.Variable);
            return base.VisitCatchBlock(node);
        }

        protected override Expression VisitBinary(BinaryExpression node)
        {
            if (IsAssignment(node.NodeType)) Assigns = true;
            return base.VisitBinary(node);
        }

        protected override Expression VisitUnary(UnaryExpression node)
        {
            if (IsAssignment(node.NodeType)) Assigns = true;
            return base.VisitUnary(node);
        }
    }
}
