using System.Globalization;
using System.Linq.Expressions;

namespace Dsl.Lowering.Ir;


internal static partial class IrPrinter
{
    private sealed partial class Printer
    {
        // C# precedence, higher binds tighter.
        private const int Conditional = 1, Coalesce = 2, OrElse = 3, AndAlso = 4, Or = 5, Xor = 6, And = 7, Equality = 8,
            Relational = 9, Shift = 10, Additive = 11, Multiplicative = 12, Unary = 13, Primary = 14;

        private string Render(Expression node, out int precedence)
        {
            precedence = Primary;
            switch (node)
            {
                case ConstantExpression constant:
                    return Literal(constant.Value, constant.Type);
                case ParameterExpression parameter:
                    return parameter.Name ?? "arg";
                case NewArrayExpression { NodeType: ExpressionType.NewArrayInit } literal:
                    return $"new {TypeName(literal.Type.GetElementType()!)}[] {{ {string.Join(", ", literal.Expressions.Select(e => Text(e, 0)))} }}";
                case DefaultExpression:
                    return $"default({TypeName(node.Type)})";
                case ConditionalExpression conditional:
                    precedence = Conditional;
                    return $"{Text(conditional.Test, Conditional + 1)} ? {Text(conditional.IfTrue, Conditional)} : {Text(conditional.IfFalse, Conditional)}";
                case BinaryExpression binary when binary.NodeType == ExpressionType.ArrayIndex:
                    return $"{Text(binary.Left, Primary)}[{Text(binary.Right, 0)}]";
                case BinaryExpression binary:
                    var (symbol, level) = Operator(binary.NodeType);
                    precedence = level;
                    var text = $"{Text(binary.Left, level)} {symbol} {Text(binary.Right, level + 1)}";
                    return binary.NodeType is ExpressionType.AddChecked or ExpressionType.SubtractChecked or ExpressionType.MultiplyChecked
                        ? Checked(text, ref precedence)
                        : text;
                case UnaryExpression unary:
                    return RenderUnary(unary, out precedence);
                case MemberExpression member:
                    var owner = member.Expression is null ? TypeName(member.Member.DeclaringType!)
                        : member.Expression is ConstantExpression { Value: not null } closure && !closure.Type.IsPrimitive && closure.Type != typeof(string)
                            ? "closure"
                            : Text(member.Expression, Primary);
                    return $"{owner}.{member.Member.Name}";
                case MethodCallExpression call:
                    var target = call.Object is null ? TypeName(call.Method.DeclaringType!) : Text(call.Object, Primary);
                    return $"{target}.{call.Method.Name}({string.Join(", ", call.Arguments.Select(a => Text(a, 0)))})";
                case NewExpression @new:
                    return $"new {TypeName(@new.Type)}({string.Join(", ", @new.Arguments.Select(a => Text(a, 0)))})";
                case BlockExpression block:
                    return "{ " + string.Join(" ", block.Expressions.Take(block.Expressions.Count - 1).Select(Statement)) + " " + Text(block.Result, 0) + " }";
                case TypeBinaryExpression typeBinary:
                    precedence = Relational;
                    return $"{Text(typeBinary.Expression, Relational)} is {TypeName(typeBinary.TypeOperand)}";
                default:
                    return node.CanReduce ? $"/*{node.GetType().Name}*/ {node}" : node.ToString();
            }
        }

        private string RenderUnary(UnaryExpression unary, out int precedence)
        {
            precedence = Unary;
            var operand = Text(unary.Operand, Unary);
            switch (unary.NodeType)
            {
                case ExpressionType.Not:
                    return unary.Type == typeof(bool) ? $"!{operand}" : $"~{operand}";
                case ExpressionType.OnesComplement:
                    return $"~{operand}";
                case ExpressionType.Negate:
                    return $"-{operand}";
                case ExpressionType.NegateChecked:
                    var negated = $"-{operand}";
                    return Checked(negated, ref precedence);
                case ExpressionType.UnaryPlus:
                    return $"+{operand}";
                case ExpressionType.Convert:
                    return $"({TypeName(unary.Type)}){operand}";
                case ExpressionType.ConvertChecked:
                    var converted = $"({TypeName(unary.Type)}){operand}";
                    return Checked(converted, ref precedence);
                case ExpressionType.ArrayLength:
                    precedence = Primary;
                    return $"{Text(unary.Operand, Primary)}.Length";
                case ExpressionType.Throw:
                    precedence = Conditional;
                    return $"throw {Text(unary.Operand, 0)}";
                default:
                    return $"{unary.NodeType}({Text(unary.Operand, 0)})";
            }
        }

        private static string Checked(string text, ref int precedence)
        {
            precedence = Primary;
            return $"checked({text})";
        }

        private static (string Symbol, int Precedence) Operator(ExpressionType kind) => kind switch
        {
            ExpressionType.Add or ExpressionType.AddChecked => ("+", Additive),
            ExpressionType.Subtract or ExpressionType.SubtractChecked => ("-", Additive),
            ExpressionType.Multiply or ExpressionType.MultiplyChecked => ("*", Multiplicative),
            ExpressionType.Divide => ("/", Multiplicative),
            ExpressionType.Modulo => ("%", Multiplicative),
            ExpressionType.LeftShift => ("<<", Shift),
            ExpressionType.RightShift => (">>", Shift),
            ExpressionType.LessThan => ("<", Relational),
            ExpressionType.LessThanOrEqual => ("<=", Relational),
            ExpressionType.GreaterThan => (">", Relational),
            ExpressionType.GreaterThanOrEqual => (">=", Relational),
            ExpressionType.Equal => ("==", Equality),
            ExpressionType.NotEqual => ("!=", Equality),
            ExpressionType.And => ("&", And),
            ExpressionType.ExclusiveOr => ("^", Xor),
            ExpressionType.Or => ("|", Or),
            ExpressionType.AndAlso => ("&&", AndAlso),
            ExpressionType.OrElse => ("||", OrElse),
            ExpressionType.Coalesce => ("??", Coalesce),
            _ => (kind.ToString(), Primary),
        };

        private static string Literal(object? value, Type type) => value switch
        {
            null => "null",
            bool b => b ? "true" : "false",
            string s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
            char c => $"'{c}'",
            double d => double.IsNaN(d) ? "double.NaN" : double.IsPositiveInfinity(d) ? "double.PositiveInfinity" : double.IsNegativeInfinity(d) ? "double.NegativeInfinity"
                : d.ToString("R", CultureInfo.InvariantCulture) is var r && (r.Contains('.') || r.Contains('E')) ? r : r + ".0",
            float f => float.IsNaN(f) ? "float.NaN" : f.ToString("R", CultureInfo.InvariantCulture) + "f",
            long l => l.ToString(CultureInfo.InvariantCulture) + "L",
            ulong u => u.ToString(CultureInfo.InvariantCulture) + "UL",
            uint u => u.ToString(CultureInfo.InvariantCulture) + "U",
            Array array => $"new {TypeName(type.GetElementType()!)}[] {{ {string.Join(", ", array.Cast<object?>().Select(e => Literal(e, type.GetElementType()!)))} }}",
            IFormattable formattable when type.IsPrimitive || type.IsEnum || type == typeof(decimal) => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => $"<{TypeName(type)}>",
        };
    }
}
