namespace Dsl.Fuzz.Generation;

public sealed partial class ProgramGenerator
{
    private static readonly FuzzType[] s_nullableNumeric =
        [FuzzType.Double.AsNullable(), FuzzType.Int.AsNullable(), FuzzType.Long.AsNullable(), FuzzType.Float.AsNullable()];

    private void AddBool(List<(Func<Expr?>, int)> list, int d)
    {
        list.Add((() =>
        {
            var t = Pick(s_numeric);
            return Make(FuzzType.Bool, Construct.Comparison, $"({{0}} {Pick(["<", "<=", ">", ">=", "==", "!="])} {{1}})", true, Expression(t, d), Expression(t, d));
        }, 6));
        list.Add((() =>
        {
            var t = Pick(s_nullableNumeric);
            return Make(FuzzType.Bool, Construct.LiftedComparison, $"({{0}} {Pick(["<", "<=", ">", ">=", "==", "!="])} {{1}})", false,
                Expression(t, d), Expression(Chance(0.5) ? t : t.Underlying, d));
        }, 3));
        list.Add((() => Make(FuzzType.Bool, Construct.Logical, $"({{0}} {Pick(["&&", "||", "^", "==", "!="])} {{1}})", true, Expression(FuzzType.Bool, d), Expression(FuzzType.Bool, d)), 4));
        list.Add((() => Make(FuzzType.Bool, Construct.Logical, "(!{0})", true, Expression(FuzzType.Bool, d)), 1));
        list.Add((() =>
        {
            var t = Pick([.. s_nullableNumeric, FuzzType.String, FuzzType.Bool.AsNullable(), FuzzType.DateTime.AsNullable(), FuzzType.DoubleArray]);
            var operand = t.IsArray ? ArrayExpression(t) : Expression(t, d);
            return Make(FuzzType.Bool, Construct.PatternNull, Pick(["({0} is null)", "({0} is not null)", "({0} != null)"]), false, operand);
        }, 3));
        list.Add((() => Make(FuzzType.Bool, Construct.NullableHasValue, "{0}.HasValue", false, Expression(Pick(s_nullableNumeric), d)), 1));
        list.Add((() =>
        {
            var t = Pick([FuzzType.Double, FuzzType.Int, FuzzType.Long, FuzzType.Double.AsNullable(), FuzzType.Int.AsNullable()]);
            var bounds = Thresholds(t.Underlying, 2);
            var pattern = Pick([$"> {bounds[0]} and < {bounds[1]}", $"< {bounds[0]} or >= {bounds[1]}", $"not (>= {bounds[0]})", $">= {bounds[0]}"]);
            return Make(FuzzType.Bool, Construct.PatternRelational, $"({{0}} is {pattern})", false, NonConstant(Expression(t, d)));
        }, 3));
        list.Add((() =>
        {
            var t = Pick([FuzzType.Int, FuzzType.Long, FuzzType.String]);
            var labels = DistinctLiterals(t, 1 + _random.Next(3)).Select(l => l.Text.Trim('(', ')'));
            return Make(FuzzType.Bool, Construct.PatternConstant, $"({{0}} is {string.Join(" or ", labels)})", false, NonConstant(Expression(t, d)));
        }, 2));
        list.Add((() => Make(FuzzType.Bool, Construct.FloatClassification,
            Pick(["double.IsNaN({0})", "double.IsFinite({0})", "double.IsInfinity({0})", "double.IsNegative({0})"]), false, Expression(FuzzType.Double, d)), 2));
        list.Add((() => Make(FuzzType.Bool, Construct.StringMethod,
            Pick(["{0}.Contains({1})", "{0}.StartsWith({1}, StringComparison.Ordinal)", "{0}.EndsWith({1}, StringComparison.Ordinal)",
                "string.Equals({0}, {1})", "({0} == {1})", "(string.IsNullOrEmpty({0}) && {1} != null)"]), false,
            Expression(FuzzType.String, d), Expression(FuzzType.String, d)), 3));
        list.Add((() => Make(FuzzType.Bool, Construct.Comparison, $"({{0}} {Pick(["<", ">=", "=="])} {{1}})", false, Expression(FuzzType.DateTime, d), Expression(FuzzType.DateTime, d)), 1));
        list.Add((() => Make(FuzzType.Bool, Construct.LinqAggregate, $"{{0}}.{Pick(["Any", "All"])}({Lambda("> 1.0")})", false, ArrayExpression(FuzzType.DoubleArray)), 1));
    }

    /// <summary>A one-parameter lambda with a fresh parameter name (lambda parameters may not shadow locals).</summary>
    private string Lambda(string comparison)
    {
        var name = FreshName("e");
        return $"{name} => {name} {comparison}";
    }

    private void AddString(List<(Func<Expr?>, int)> list, int d)
    {
        var s = FuzzType.String;
        list.Add((() => Make(s, Construct.StringMethod, Pick(["{0}.Trim()", "{0}.ToUpperInvariant()", "{0}.ToLowerInvariant()", "{0}.TrimStart('.')"]), false, Expression(s, d)), 4));
        list.Add((() => Make(s, Construct.StringMethod, Pick(["{0}.Replace(\".\", \"\")", "{0}.Replace(\"a\", \"bb\")", "{0}.Replace(\"@\", \" at \")"]), false, Expression(s, d)), 2));
        list.Add((() => Make(s, Construct.StringMethod, Pick(["{0}.Substring({1})", "{0}.Substring(0, {1})", "{0}.Substring(Math.Min({1}, {0}.Length))"]), false,
            Expression(s, d), Expression(FuzzType.Int, d)), 2));
        list.Add((() => Make(s, Construct.StringSplit, Pick(["{0}.Split('@')[0]", "{0}.Split('+')[0]", "{0}.Split('.')[^1]"]), false, Expression(s, d)), 3));
        list.Add((() => Make(s, Construct.StringConcat, "({0} + {1})", true, Expression(s, d), Expression(s, d)), 2));
    }

    private void AddDateTime(List<(Func<Expr?>, int)> list, int d)
    {
        var t = FuzzType.DateTime;
        list.Add((() => Make(t, Construct.DateTimeArithmetic, "{0}.AddDays({1})", false, Expression(t, d), Expression(Pick([FuzzType.Double, FuzzType.Int]), d)), 2));
        list.Add((() => Make(t, Construct.DateTimeArithmetic, "{0}.AddHours({1})", false, Expression(t, d), Expression(FuzzType.Int, d)), 1));
        list.Add((() => Make(t, Construct.DateTimeMember, "{0}.Date", false, Expression(t, d)), 1));
    }
}
