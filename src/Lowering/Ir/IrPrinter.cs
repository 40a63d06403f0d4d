using System.Linq.Expressions;
using System.Text;

namespace Dsl.Lowering.Ir;

/// <summary>
/// Renders IR as readable C#-like text: the lambda's signature, then a block where every non-trivial node
/// referenced more than once is printed once as <c>let sN = ...;</c> (in evaluation order) and referred to by
/// name, then <c>return ...;</c>. Effect statements of a block print as statements before the result.
/// </summary>
internal static partial class IrPrinter
{
    public static string Print(LambdaExpression lambda)
    {
        var counts = IrMetrics.ReferenceCounts(lambda.Body);
        var printer = new Printer(counts);
        var result = printer.Body(lambda.Body);
        var signature = string.Join(", ", lambda.Parameters.Select(p => $"{TypeName(p.Type)} {p.Name}"));
        var text = new StringBuilder();
        text.Append('(').Append(signature).Append(") =>\n{\n");
        foreach (var line in printer.Lines) text.Append("    ").Append(line).Append('\n');
        text.Append("    return ").Append(result).Append(";\n}");
        return text.ToString();
    }

    /// <summary>The short C# name of a type: <c>double?</c>, <c>string</c>, <c>long[]</c>, <c>(int, bool)</c>.</summary>
    public static string TypeName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying) return TypeName(underlying) + "?";
        if (type.IsArray) return TypeName(type.GetElementType()!) + "[]";
        if (type.IsGenericType && type.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true)
            return "(" + string.Join(", ", type.GetGenericArguments().Select(TypeName)) + ")";
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => "bool",
            TypeCode.Char => "char",
            TypeCode.SByte => "sbyte",
            TypeCode.Byte => "byte",
            TypeCode.Int16 => "short",
            TypeCode.UInt16 => "ushort",
            TypeCode.Int32 when !type.IsEnum => "int",
            TypeCode.UInt32 when !type.IsEnum => "uint",
            TypeCode.Int64 when !type.IsEnum => "long",
            TypeCode.UInt64 when !type.IsEnum => "ulong",
            TypeCode.Single => "float",
            TypeCode.Double => "double",
            TypeCode.Decimal => "decimal",
            TypeCode.String => "string",
            _ when type == typeof(object) => "object",
            _ when type == typeof(void) => "void",
            _ => type.IsGenericType ? type.Name[..type.Name.IndexOf('`')] + "<" + string.Join(", ", type.GetGenericArguments().Select(TypeName)) + ">" : type.Name,
        };
    }

    private sealed partial class Printer(Dictionary<Expression, int> counts)
    {
        private readonly Dictionary<Expression, string> _names = new(ReferenceEqualityComparer.Instance);

        public List<string> Lines { get; } = new();

        /// <summary>Prints the lets the result needs (in evaluation order), then returns the result's text.</summary>
        public string Body(Expression body)
        {
            if (body is BlockExpression block)
            {
                foreach (var statement in block.Expressions.Take(block.Expressions.Count - 1)) Lines.Add(Statement(statement));
                return Text(block.Result, 0);
            }

            return Text(body, 0);
        }

        private string Statement(Expression statement) => statement switch
        {
            ConditionalExpression { Type: var t } conditional when t == typeof(void) =>
                $"if ({Text(conditional.Test, 0)}) {{ {StatementList(conditional.IfTrue)} }}" + (conditional.IfFalse is DefaultExpression ? "" : $" else {{ {StatementList(conditional.IfFalse)} }}"),
            DefaultExpression => "",
            _ => $"_ = {Text(statement, 0)};",
        };

        private string StatementList(Expression node) => node switch
        {
            BlockExpression block => string.Join(" ", block.Expressions.Select(Statement)),
            _ => Statement(node),
        };

        /// <summary>The text of <paramref name="node"/> in a context of precedence <paramref name="context"/>.</summary>
        private string Text(Expression node, int context)
        {
            if (_names.TryGetValue(node, out var name)) return name;
            if (IsShared(node))
            {
                var inner = Render(node, out _);
                name = $"s{_names.Count + 1}";
                _names[node] = name;
                Lines.Add($"let {name} = {inner};");
                return name;
            }

            var text = Render(node, out var precedence);
            return precedence < context ? $"({text})" : text;
        }

        private bool IsShared(Expression node) =>
            counts.TryGetValue(node, out var count) && count > 1
            && node is not (ParameterExpression or ConstantExpression or DefaultExpression)
            && !(node is MemberExpression { Expression: null or ParameterExpression or ConstantExpression });
    }
}
