namespace Dsl.Fuzz.Generation;

public sealed partial class ProgramGenerator
{
    private static readonly FuzzType[] s_numeric = [FuzzType.Double, FuzzType.Float, FuzzType.Int, FuzzType.Long];

    /// <summary>An expression of exactly <paramref name="type"/>, at most <paramref name="depth"/> operators deep.</summary>
    private Expr Expression(FuzzType type, int depth)
    {
        if (depth <= 0 || Chance(0.2)) return Leaf(type);
        var productions = Productions(type, depth - 1);
        return Pick(productions.ToArray())() ?? Leaf(type);
    }

    /// <summary>A variable of the type, an expression derived from a variable of another type, or a literal.</summary>
    private Expr Leaf(FuzzType type)
    {
        var exact = _scope.OfType(type);
        if (exact.Count > 0 && Chance(0.8)) return Var(Pick(exact));
        if (Chance(0.7) && FromVariable(type) is { } derived) return derived;
        return Literal(type);
    }

    /// <summary>
    /// A cheap expression of the type built from some variable in scope (a cast, a null test, a comparison with
    /// a literal), so that programs depend on their inputs rather than on literals; null when none fits.
    /// </summary>
    private Expr? FromVariable(FuzzType type)
    {
        var candidates = new List<Func<Expr>>();
        foreach (var v in _scope.All)
        {
            var u = v.Type;
            if (type.Nullable && u == type.Underlying) candidates.Add(() => Cast(type, Var(v)));
            if (type.IsNumeric && !type.Nullable && u.IsNumeric && !u.Nullable && u != type) candidates.Add(() => Cast(type, Var(v)));
            if (type.IsNumeric && !type.Nullable && u.IsNumeric && u.Nullable)
                candidates.Add(() => Cast(type, new Op(u.Underlying, Construct.NullableValue, "{0}.GetValueOrDefault()", [Var(v)])));
            if (type.Nullable && type.IsNumeric && u.IsNumeric && u.Nullable && u != type) candidates.Add(() => Cast(type, Var(v)));
            if (type == FuzzType.Bool && u.IsNumeric)
                candidates.Add(() => new Op(type, u.Nullable ? Construct.LiftedComparison : Construct.Comparison, $"({{0}} {Pick(["<", ">", "=="])} {{1}})", [Var(v), Literal(u.Underlying)]));
            if (type == FuzzType.Bool && u.CanBeNull) candidates.Add(() => new Op(type, Construct.PatternNull, "({0} is null)", [Var(v)]));
            if (type == FuzzType.Int && u == FuzzType.String) candidates.Add(() => new Op(type, Construct.StringMethod, "{0}.Length", [Var(v)]));
            if (type == FuzzType.Int && u.IsArray) candidates.Add(() => new Op(type, Construct.ArrayLength, "{0}.Length", [Var(v)]));
            if (type == FuzzType.DateTime && u == FuzzType.DateTime.AsNullable())
                candidates.Add(() => new Op(type, Construct.NullableValue, "{0}.GetValueOrDefault()", [Var(v)]));
        }
        return candidates.Count == 0 ? null : Pick(candidates)();
    }

    private static VarRef Var(Variable v) => new(v.Type, v.Name);

    private static Op Cast(FuzzType to, Expr e) => new(to, Construct.Conversion, $"(({to.CSharp}){{0}})", [e], Folds: !to.Nullable);

    /// <summary>
    /// Builds an operator node; when C# would fold it from constants only, one operand is made non-constant so
    /// that constant division by zero or constant overflow never becomes a compile error.
    /// </summary>
    private Op Make(FuzzType type, Construct tag, string format, bool folds, params Expr[] args)
    {
        if (folds && args.Length > 0 && args.All(a => a.IsConstant)) args[0] = FromVariable(args[0].Type) ?? NonConstant(args[0]);
        return new Op(type, tag, format, args, folds);
    }

    /// <summary>The same value, but not a C# constant.</summary>
    private static Expr NonConstant(Expr e)
    {
        if (!e.IsConstant) return e;
        var t = e.Type;
        if (t.IsNumeric) return new Op(t, Construct.MathCall, t.Base == BaseType.Float ? "MathF.Max({0}, {0})" : "Math.Max({0}, {0})", [e]);
        if (t == FuzzType.Bool) return new Op(t, Construct.Logical, "{0}.Equals(true)", [e]);
        return new Op(t, Construct.StringConcat, "string.Concat({0}, \"\")", [e]);
    }

    private List<(Func<Expr?>, int)> Productions(FuzzType type, int d)
    {
        var list = new List<(Func<Expr?>, int)>
        {
            (() => Make(type, Construct.Ternary, "({0} ? {1} : {2})", true, Expression(FuzzType.Bool, d), Expression(type, d), Expression(type, d)), 2),
        };
        if (type.Base != BaseType.Bool && !type.IsArray) list.Add((() => SwitchExpression(type, d), 1));
        if (type.CanBeNull && !type.IsArray) list.Add((() => Make(type, Construct.NullCoalescing, "({0} ?? {1})", false, Expression(NullableOf(type), d), Expression(type, d)), 2));
        if (!type.CanBeNull && type.Base is not (BaseType.String or BaseType.DoubleArray or BaseType.LongArray))
        {
            list.Add((() => Make(type, Construct.NullCoalescing, "({0} ?? {1})", false, Expression(type.AsNullable(), d), Expression(type, d)), 1));
            list.Add((() => Make(type, Construct.NullableValue, Chance(0.5) ? "{0}.Value" : "{0}.GetValueOrDefault()", false, Expression(type.AsNullable(), d)), 1));
        }
        if (type.Nullable)
        {
            list.Add((() => Cast(type, Expression(type.Underlying, d)), 2));
            AddLifted(list, type, d);
        }
        else
        {
            switch (type.Base)
            {
                case BaseType.Double or BaseType.Float or BaseType.Int or BaseType.Long: AddNumeric(list, type, d); break;
                case BaseType.Bool: AddBool(list, d); break;
                case BaseType.String: AddString(list, d); break;
                case BaseType.DateTime: AddDateTime(list, d); break;
            }
        }
        return list;
    }

    /// <summary>For <c>x ?? y</c> of a reference type the left side is the same type; otherwise <c>T?</c>.</summary>
    private static FuzzType NullableOf(FuzzType type) => type.IsReference ? type : type.AsNullable();

    private Expr SwitchExpression(FuzzType type, int d)
    {
        var subjectType = Pick([FuzzType.Int, FuzzType.Long, FuzzType.Double, FuzzType.Int.AsNullable(), FuzzType.String]);
        var subject = NonConstant(Expression(subjectType, d));
        var patterns = new List<string>();
        if (subjectType.CanBeNull && Chance(0.5)) patterns.Add("null");
        var arms = 1 + _random.Next(3);
        patterns.AddRange(subjectType.Underlying == FuzzType.Double
            ? Thresholds(FuzzType.Double, arms).Select(t => $"< {t}")
            : DistinctLiterals(subjectType.Underlying, arms).Select(l => l.Text));
        var args = new List<Expr> { subject };
        var format = new System.Text.StringBuilder("({0} switch {{ ");
        foreach (var pattern in patterns)
        {
            args.Add(Expression(type, d));
            format.Append(pattern).Append(" => {").Append(args.Count - 1).Append("}, ");
        }
        args.Add(Expression(type, d));
        format.Append("_ => {").Append(args.Count - 1).Append("} }})");
        return Make(type, Construct.SwitchExpression, format.ToString(), false, [.. args]);
    }

    private void AddLifted(List<(Func<Expr?>, int)> list, FuzzType type, int d)
    {
        if (type.Underlying.IsNumeric)
        {
            var u = type.Underlying;
            list.Add((() => Make(type, Construct.LiftedArithmetic, $"({{0}} {Pick(ArithmeticOperators(u))} {{1}})", false,
                Expression(type, d), Expression(Chance(0.5) ? type : u, d)), 4));
            list.Add((() => Make(type, Construct.LiftedArithmetic, "(-{0})", false, Expression(type, d)), 1));
        }
        if (type.Underlying == FuzzType.Bool)
        {
            list.Add((() => Make(type, Construct.LiftedLogic, $"({{0}} {Pick(["&", "|", "^"])} {{1}})", false, Expression(type, d), Expression(Chance(0.5) ? type : FuzzType.Bool, d)), 3));
            list.Add((() => Make(type, Construct.LiftedLogic, "(!{0})", false, Expression(type, d)), 1));
        }
        if (type.Underlying == FuzzType.DateTime)
            list.Add((() => Make(type, Construct.DateTimeArithmetic, "({0}?.AddDays(1.5))", false, Expression(type, d)), 1));
    }

    private static string[] ArithmeticOperators(FuzzType t) => t.IsInteger ? ["+", "-", "*", "/", "%"] : ["+", "-", "*", "/", "%"];

    private void AddNumeric(List<(Func<Expr?>, int)> list, FuzzType t, int d)
    {
        list.Add((() =>
        {
            var op = Pick(ArithmeticOperators(t));
            var tag = t.IsInteger && op is "/" or "%" ? Construct.IntegerDivision : Construct.Arithmetic;
            return Make(t, tag, $"({{0}} {op} {{1}})", true, Expression(t, d), Expression(t, d));
        }, 6));
        list.Add((() => Make(t, Construct.Arithmetic, "(-{0})", true, Expression(t, d)), 1));
        list.Add((() =>
        {
            var from = Pick(s_numeric.Where(n => n != t).ToArray());
            return Make(t, Construct.Conversion, $"(({t.CSharp}){{0}})", true, Expression(from, d));
        }, 2));
        list.Add((() => MathCall(t, d), 4));
        if (t.IsInteger)
        {
            list.Add((() => Make(t, Construct.CheckedExpression, $"checked({{0}} {Pick(["+", "-", "*"])} {{1}})", true, Expression(t, d), Expression(t, d)), 2));
            list.Add((() => Make(t, Construct.Bitwise, $"({{0}} {Pick(["&", "|", "^"])} {{1}})", true, Expression(t, d), Expression(t, d)), 1));
            list.Add((() => Make(t, Construct.Bitwise, $"({{0}} << {_random.Next(0, 5)})", true, Expression(t, d)), 1));
        }
        if (t == FuzzType.Int)
        {
            list.Add((() => Make(t, Construct.StringMethod, Pick(["{0}.Length", "{0}.IndexOf('@')", "{0}.IndexOf('.')"]), false, Expression(FuzzType.String, d)), 2));
            list.Add((() => Make(t, Construct.DateTimeMember, Pick(["{0}.Year", "{0}.Month", "{0}.Day", "{0}.Hour", "{0}.DayOfYear", "((int){0}.DayOfWeek)"]), false, Expression(FuzzType.DateTime, d)), 1));
            list.Add((() => Make(t, Construct.ArrayLength, "{0}.Length", false, ArrayExpression(Pick([FuzzType.DoubleArray, FuzzType.LongArray]))), 1));
        }
        if (t == FuzzType.Long) list.Add((() => Make(t, Construct.DateTimeMember, "{0}.Ticks", false, Expression(FuzzType.DateTime, d)), 1));
        if (t == FuzzType.Double) list.Add((() => Make(t, Construct.DateTimeArithmetic, "({0} - {1}).TotalDays", false, Expression(FuzzType.DateTime, d), Expression(FuzzType.DateTime, d)), 1));
        if (t == FuzzType.Double || t == FuzzType.Long)
        {
            var array = t == FuzzType.Double ? FuzzType.DoubleArray : FuzzType.LongArray;
            list.Add((() => Make(t, Construct.ArrayIndex, "{0}[{1}]", false, ArrayExpression(array), Expression(FuzzType.Int, d)), 1));
            list.Add((() => Make(t, Construct.ArrayIndex, $"({{0}}.Length > 0 ? {{0}}[0] : {(t == FuzzType.Double ? "0.0" : "0L")})", false, ArrayExpression(array)), 1));
            list.Add((() => Make(t, Construct.LinqAggregate, Pick(t == FuzzType.Double ? ["{0}.Sum()", "{0}.Max()", "{0}.Average()"] : new[] { "{0}.Sum()", "{0}.Min()" }), false, ArrayExpression(array)), 1));
        }
    }

    /// <summary>Array values are parameters when there are any (arrays are never locals), else array literals.</summary>
    private Expr ArrayExpression(FuzzType array)
    {
        var vars = _scope.OfType(array);
        return vars.Count > 0 && Chance(0.9) ? Var(Pick(vars)) : Literal(array);
    }

    private Expr MathCall(FuzzType t, int d)
    {
        Expr X() => Expression(t, d);
        switch (t.Base)
        {
            case BaseType.Double:
                return _random.Next(4) switch
                {
                    0 => Make(t, Construct.MathCall, $"Math.{Pick(["Abs", "Sqrt", "Log", "Exp", "Floor", "Ceiling", "Round", "Truncate", "Sin", "Cos", "Tan", "Atan", "Log10"])}({{0}})", false, X()),
                    1 => Make(t, Construct.MathCall, $"Math.{Pick(["Max", "Min", "Pow", "Atan2"])}({{0}}, {{1}})", false, X(), X()),
                    2 => Make(t, Construct.MathCall, $"Math.Clamp({{0}}, {Pick(["0.0", "-1.0"])}, {Pick(["1.0", "100.0"])})", false, X()),
                    _ => Make(t, Construct.MathCall, "(Math.Log(1.0 + {0}) * Math.Sqrt({1}))", false, X(), X()),
                };
            case BaseType.Float:
                return Chance(0.5)
                    ? Make(t, Construct.MathCall, Pick(["MathF.Sqrt({0})", "MathF.Abs({0})"]), false, X())
                    : Make(t, Construct.MathCall, Pick(["MathF.Max({0}, {1})", "MathF.Min({0}, {1})"]), false, X(), X());
            default:
                return _random.Next(3) switch
                {
                    0 => Make(t, Construct.MathCall, $"Math.{Pick(["Max", "Min"])}({{0}}, {{1}})", false, X(), X()),
                    1 => Make(t, Construct.MathCall, $"Math.Clamp({{0}}, {Pick(["0", "-5"])}, {Pick(["10", "1000"])})", false, X()),
                    _ => t == FuzzType.Int
                        ? Make(t, Construct.MathCall, "Math.Sign({0})", false, Expression(Pick(s_numeric), d))
                        : Make(t, Construct.MathCall, "Math.Abs({0})", false, X()),
                };
        }
    }
}
