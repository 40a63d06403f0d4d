using System.Globalization;
using System.Linq.Expressions;
using System.Text;

namespace Dsl.Codegen.Printing;

/// <summary>
/// Renders a generated kernel (an expression tree) as readable C#-like code for <c>dsl inspect</c>: statements
/// on their own lines, blocks indented, void conditionals as <c>if</c>, loops as <c>loop { }</c> with labelled
/// breaks, and local names kept from the generator (duplicates get a numeric suffix). An expression object
/// reached more than once (a shared IR node) is printed in full once as <c>#k=(…)</c> and then as <c>#k</c>.
/// </summary>
internal sealed class KernelPrinter
{
    private readonly StringBuilder _text = new();
    private readonly Dictionary<object, string> _names = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _taken = [];
    private readonly HashSet<Expression> _repeated = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Expression, int> _printed = new(ReferenceEqualityComparer.Instance);
    private int _indent;

    public static string Print(LambdaExpression kernel)
    {
        var printer = new KernelPrinter();
        var census = new RepeatCensus();
        census.Visit(kernel.Body);
        printer._repeated.UnionWith(census.Repeated);
        printer.Lambda(kernel);
        return printer._text.ToString();
    }

    private void Lambda(LambdaExpression lambda)
    {
        _text.Append(TypeName(lambda.ReturnType)).Append(' ').Append(lambda.Name ?? "Kernel").Append('(')
            .AppendJoin(", ", lambda.Parameters.Select(p => $"{TypeName(p.Type)} {Name(p)}")).Append(')').AppendLine();
        Statement(lambda.Body);
    }

    private void Statement(Expression node)
    {
        switch (node)
        {
            case BlockExpression block:
                Line("{");
                _indent++;
                foreach (var variable in block.Variables) Line($"{TypeName(variable.Type)} {Name(variable)};");
                foreach (var expression in block.Expressions) Statement(expression);
                _indent--;
                Line("}");
                break;
            case ConditionalExpression conditional when conditional.Type == typeof(void):
                Line($"if ({Expr(conditional.Test)})");
                Nested(conditional.IfTrue);
                if (conditional.IfFalse is not DefaultExpression)
                {
                    Line("else");
                    Nested(conditional.IfFalse);
                }

                break;
            case LoopExpression loop:
                Line("loop");
                Nested(loop.Body);
                if (loop.BreakLabel is not null) Line($"{Name(loop.BreakLabel)}:");
                break;
            case TryExpression @try:
                Line("try");
                Nested(@try.Body);
                foreach (var handler in @try.Handlers)
                {
                    Line(handler.Variable is null ? $"catch ({TypeName(handler.Test)})" : $"catch ({TypeName(handler.Test)} {Name(handler.Variable)})");
                    Nested(handler.Body);
                }

                if (@try.Finally is not null)
                {
                    Line("finally");
                    Nested(@try.Finally);
                }

                break;
            case LabelExpression label:
                Line($"{Name(label.Target)}:");
                break;
            case DefaultExpression when node.Type == typeof(void):
                break;
            case BinaryExpression { NodeType: ExpressionType.Assign } assign:
                Line($"{Expr(assign.Left)} = {Expr(assign.Right)};");
                break;
            default:
                Line(Expr(node) + ";");
                break;
        }
    }

    private void Nested(Expression node)
    {
        if (node is BlockExpression)
        {
            Statement(node);
            return;
        }

        _indent++;
        Statement(node);
        _indent--;
    }

    private string Expr(Expression node)
    {
        if (!_repeated.Contains(node)) return Plain(node);
        if (_printed.TryGetValue(node, out var number)) return $"#{number}";
        number = _printed.Count + 1;
        _printed[node] = number;
        return $"#{number}=({Plain(node)})";
    }

    private string Plain(Expression node) => node switch
    {
        ParameterExpression parameter => Name(parameter),
        ConstantExpression constant => Constant(constant.Value),
        DefaultExpression => node.Type == typeof(void) ? "" : $"default({TypeName(node.Type)})",
        BinaryExpression { NodeType: ExpressionType.ArrayIndex } index => $"{Expr(index.Left)}[{Expr(index.Right)}]",
        BinaryExpression binary => $"({Expr(binary.Left)} {Operator(binary.NodeType)} {Expr(binary.Right)})",
        UnaryExpression unary => Unary(unary),
        MethodCallExpression call => Call(call),
        MemberExpression member => $"{(member.Expression is null ? TypeName(member.Member.DeclaringType!) : Expr(member.Expression))}.{member.Member.Name}",
        ConditionalExpression conditional => $"({Expr(conditional.Test)} ? {Expr(conditional.IfTrue)} : {Expr(conditional.IfFalse)})",
        NewExpression create => $"new {TypeName(create.Type)}({Args(create.Arguments)})",
        NewArrayExpression { NodeType: ExpressionType.NewArrayBounds } array => $"new {TypeName(array.Type.GetElementType()!)}[{Args(array.Expressions)}]",
        NewArrayExpression array => $"new {TypeName(array.Type)} {{ {Args(array.Expressions)} }}",
        IndexExpression index => $"{Expr(index.Object!)}[{Args(index.Arguments)}]",
        InvocationExpression invoke => $"{Expr(invoke.Expression)}({Args(invoke.Arguments)})",
        TypeBinaryExpression test => $"({Expr(test.Expression)} is {TypeName(test.TypeOperand)})",
        GotoExpression jump => $"{(jump.Kind == GotoExpressionKind.Break ? "break" : jump.Kind == GotoExpressionKind.Continue ? "continue" : "goto")} {Name(jump.Target)}",
        BlockExpression block => $"{{ {string.Join("; ", block.Expressions.Select(Expr))} }}",
        LambdaExpression lambda => $"({string.Join(", ", lambda.Parameters.Select(Name))}) => {Expr(lambda.Body)}",
        SwitchExpression @switch => $"switch ({Expr(@switch.SwitchValue)}) {{ {string.Join(" ", @switch.Cases.Select(c => $"case {Args(c.TestValues)}: {Expr(c.Body)};"))} default: {(@switch.DefaultBody is null ? "" : Expr(@switch.DefaultBody))}; }}",
        _ => $"<{node.NodeType}>",
    };

    private string Unary(UnaryExpression unary) => unary.NodeType switch
    {
        ExpressionType.Convert or ExpressionType.ConvertChecked => $"(({TypeName(unary.Type)}){Expr(unary.Operand)})",
        ExpressionType.Not when unary.Type == typeof(bool) || unary.Type == typeof(bool?) => $"!{Expr(unary.Operand)}",
        ExpressionType.Not or ExpressionType.OnesComplement => $"~{Expr(unary.Operand)}",
        ExpressionType.Negate or ExpressionType.NegateChecked => $"-{Expr(unary.Operand)}",
        ExpressionType.PreIncrementAssign => $"++{Expr(unary.Operand)}",
        ExpressionType.PreDecrementAssign => $"--{Expr(unary.Operand)}",
        ExpressionType.PostIncrementAssign => $"{Expr(unary.Operand)}++",
        ExpressionType.PostDecrementAssign => $"{Expr(unary.Operand)}--",
        ExpressionType.Increment => $"({Expr(unary.Operand)} + 1)",
        ExpressionType.Decrement => $"({Expr(unary.Operand)} - 1)",
        ExpressionType.ArrayLength => $"{Expr(unary.Operand)}.Length",
        ExpressionType.TypeAs => $"({Expr(unary.Operand)} as {TypeName(unary.Type)})",
        ExpressionType.Throw => unary.Operand is null ? "throw" : $"throw {Expr(unary.Operand)}",
        ExpressionType.Quote => Expr(unary.Operand),
        _ => $"{unary.NodeType}({Expr(unary.Operand)})",
    };

    private string Call(MethodCallExpression call)
    {
        var method = call.Method;
        var generic = method.IsGenericMethod ? $"<{string.Join(", ", method.GetGenericArguments().Select(TypeName))}>" : "";
        var target = call.Object is null ? TypeName(method.DeclaringType!) : Expr(call.Object);
        return $"{target}.{method.Name}{generic}({Args(call.Arguments)})";
    }

    private string Args(IEnumerable<Expression> arguments) => string.Join(", ", arguments.Select(Expr));

    private static string Constant(object? value) => value switch
    {
        null => "null",
        string text => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
        bool b => b ? "true" : "false",
        double d => double.IsNaN(d) ? "double.NaN" : double.IsInfinity(d) ? (d > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity")
            : d == 0 && double.IsNegative(d) ? "-0.0" : d.ToString("R", CultureInfo.InvariantCulture) + (d == Math.Floor(d) && Math.Abs(d) < 1e15 ? ".0" : ""),
        float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        IFormattable formattable when value.GetType().IsPrimitive => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => $"<{TypeName(value.GetType())}>",
    };

    private static string Operator(ExpressionType type) => type switch
    {
        ExpressionType.Add or ExpressionType.AddChecked => "+",
        ExpressionType.Subtract or ExpressionType.SubtractChecked => "-",
        ExpressionType.Multiply or ExpressionType.MultiplyChecked => "*",
        ExpressionType.Divide => "/",
        ExpressionType.Modulo => "%",
        ExpressionType.And => "&",
        ExpressionType.Or => "|",
        ExpressionType.ExclusiveOr => "^",
        ExpressionType.AndAlso => "&&",
        ExpressionType.OrElse => "||",
        ExpressionType.Equal => "==",
        ExpressionType.NotEqual => "!=",
        ExpressionType.LessThan => "<",
        ExpressionType.LessThanOrEqual => "<=",
        ExpressionType.GreaterThan => ">",
        ExpressionType.GreaterThanOrEqual => ">=",
        ExpressionType.Coalesce => "??",
        ExpressionType.LeftShift => "<<",
        ExpressionType.RightShift => ">>",
        ExpressionType.Assign => "=",
        ExpressionType.AddAssign or ExpressionType.AddAssignChecked => "+=",
        ExpressionType.SubtractAssign or ExpressionType.SubtractAssignChecked => "-=",
        ExpressionType.MultiplyAssign or ExpressionType.MultiplyAssignChecked => "*=",
        ExpressionType.OrAssign => "|=",
        ExpressionType.AndAssign => "&=",
        _ => type.ToString(),
    };

    internal static string TypeName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying) return TypeName(underlying) + "?";
        if (type.IsArray) return TypeName(type.GetElementType()!) + "[]";
        if (type.IsGenericType)
        {
            var name = type.Name[..type.Name.IndexOf('`')];
            return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => "bool", TypeCode.Double => "double", TypeCode.Single => "float", TypeCode.Int32 => "int",
            TypeCode.Int64 => "long", TypeCode.Int16 => "short", TypeCode.SByte => "sbyte", TypeCode.Byte => "byte",
            TypeCode.UInt16 => "ushort", TypeCode.UInt32 => "uint", TypeCode.UInt64 => "ulong", TypeCode.String => "string",
            TypeCode.Char => "char", TypeCode.Decimal => "decimal",
            _ => type == typeof(void) ? "void" : type == typeof(nint) ? "nint" : type == typeof(object) ? "object" : type.Name,
        };
    }

    private string Name(object variable)
    {
        if (_names.TryGetValue(variable, out var name)) return name;
        var wanted = variable switch
        {
            ParameterExpression { Name: { Length: > 0 } n } => n,
            LabelTarget { Name: { Length: > 0 } n } => n,
            LabelTarget => "label",
            _ => "v",
        };
        name = wanted;
        for (int suffix = 2; !_taken.Add(name); suffix++) name = wanted + suffix;
        _names[variable] = name;
        return name;
    }

    private void Line(string text) => _text.Append(' ', _indent * 4).AppendLine(text);

    /// <summary>Finds composite expression objects reached more than once.</summary>
    private sealed class RepeatCensus : ExpressionVisitor
    {
        private readonly HashSet<Expression> _seen = new(ReferenceEqualityComparer.Instance);

        public HashSet<Expression> Repeated { get; } = new(ReferenceEqualityComparer.Instance);

        public override Expression? Visit(Expression? node)
        {
            if (node is null or ParameterExpression or ConstantExpression or DefaultExpression) return node;
            if (!_seen.Add(node))
            {
                Repeated.Add(node);
                return node;
            }

            return base.Visit(node);
        }
    }
}
