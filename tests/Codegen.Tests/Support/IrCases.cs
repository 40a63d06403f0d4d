using System.Linq.Expressions;
using Apache.Arrow.Types;
using Dsl.Lowering.Ir;

namespace Dsl.Codegen.Tests.Support;

/// <summary>One IR to test: its input column types and, when written as C#, the original delegate.</summary>
internal sealed record IrCase(string Name, LambdaExpression Ir, IArrowType[] Inputs, Delegate? Original = null)
{
    public override string ToString() => Name;
}

/// <summary>
/// The IR corpus the kernel tests run: the reference example, hand-built IR in lowering's conventions (shared
/// nodes, parameter assignment, BCL failures), and C# expression lambdas over every column type.
/// </summary>
internal static class IrCases
{
    public static readonly IArrowType F64 = DoubleType.Default;
    public static readonly IArrowType Bool = BooleanType.Default;
    public static readonly IArrowType Utf8 = StringType.Default;

    /// <summary>The reference example in C#.</summary>
    public static double? Total(double subtotal, double? discount, double? taxRate, bool taxable)
    {
        if (discount is not null) subtotal = Math.Max(subtotal - discount.Value, 0.0);
        if (!taxable || taxRate is null) return subtotal;
        return subtotal * (1.0 + taxRate.Value);
    }

    /// <summary>
    /// The reference example's IR as lowering shapes it: the discounted subtotal is one shared node used by both
    /// returns, and <c>.Value</c> reads appear only under their null checks.
    /// </summary>
    /// <summary><c>(present ? (double)value : throw new NullReferenceException()) * 2</c>: a has-one member read, as gathered.</summary>
    public static LambdaExpression ThrowingArmIr()
    {
        var present = Expression.Parameter(typeof(bool), "present");
        var value = Expression.Parameter(typeof(double?), "value");
        var read = Expression.Condition(present, Expression.Convert(value, typeof(double)), Expression.Throw(Expression.New(typeof(NullReferenceException)), typeof(double)));
        return Expression.Lambda(Expression.Multiply(read, Expression.Constant(2.0)), present, value);
    }

    public static LambdaExpression TotalIr()
    {
        var subtotal = Expression.Parameter(typeof(double), "subtotal");
        var discount = Expression.Parameter(typeof(double?), "discount");
        var taxRate = Expression.Parameter(typeof(double?), "taxRate");
        var taxable = Expression.Parameter(typeof(bool), "taxable");
        var discounted = Expression.Condition(
            Expression.Property(discount, "HasValue"),
            Expression.Call(typeof(Math), nameof(Math.Max), null,
                Expression.Subtract(subtotal, Expression.Property(discount, "Value")), Expression.Constant(0.0)),
            subtotal);
        var body = Expression.Condition(
            Expression.OrElse(Expression.Not(taxable), Expression.Not(Expression.Property(taxRate, "HasValue"))),
            Expression.Convert(discounted, typeof(double?)),
            Expression.Convert(Expression.Multiply(discounted,
                Expression.Add(Expression.Constant(1.0), Expression.Property(taxRate, "Value"))), typeof(double?)));
        return Expression.Lambda<Func<double, double?, double?, bool, double?>>(body, "Total", [subtotal, discount, taxRate, taxable]);
    }

    /// <summary>The reference example with the parameter reassigned in a block, as a CIL-style lowering may emit it.</summary>
    public static LambdaExpression TotalIrWithAssignment()
    {
        var subtotal = Expression.Parameter(typeof(double), "subtotal");
        var discount = Expression.Parameter(typeof(double?), "discount");
        var taxRate = Expression.Parameter(typeof(double?), "taxRate");
        var taxable = Expression.Parameter(typeof(bool), "taxable");
        var body = Expression.Block(
            Expression.IfThen(Expression.Property(discount, "HasValue"),
                Expression.Assign(subtotal, Expression.Call(typeof(Math), nameof(Math.Max), null,
                    Expression.Subtract(subtotal, Expression.Property(discount, "Value")), Expression.Constant(0.0)))),
            Expression.Condition(
                Expression.OrElse(Expression.Not(taxable), Expression.Equal(taxRate, Expression.Constant(null, typeof(double?)))),
                Expression.Convert(subtotal, typeof(double?)),
                Expression.Convert(Expression.Multiply(subtotal, Expression.Add(Expression.Constant(1.0), Expression.Property(taxRate, "Value"))), typeof(double?))));
        return Expression.Lambda<Func<double, double?, double?, bool, double?>>(body, "Total", [subtotal, discount, taxRate, taxable]);
    }

    /// <summary>
    /// A conditional that may throw, shared by two arms as lowering shares it (fuzz seed 7, program 1722):
    /// <c>let s = a % a != 0 ? 1.0 : x; return x &gt; -3.5 ? (x &lt; 4.5 ? 2.0 : s) : s</c>. Its DivideByZeroException
    /// must count on the lanes of both arms, not only on those of the arm that emitted it first.
    /// </summary>
    public static LambdaExpression SharedFailingConditionalIr()
    {
        var a = Expression.Parameter(typeof(long), "a");
        var x = Expression.Parameter(typeof(double), "x");
        var shared = Expression.Condition(Expression.NotEqual(Expression.Modulo(a, a), Expression.Constant(0L)), Expression.Constant(1.0), x);
        var body = Expression.Condition(Expression.GreaterThan(x, Expression.Constant(-3.5)),
            Expression.Condition(Expression.LessThan(x, Expression.Constant(4.5)), Expression.Constant(2.0), shared),
            shared);
        return Expression.Lambda<Func<long, double, double>>(body, "SharedFailingConditional", [a, x]);
    }

    /// <summary>A list aggregate over one list parameter (lowering's extension node), reduced by the kernel.</summary>
    private static IrCase Aggregate<T>(string name, IArrowType input, ListAggregateKind kind, ListNullSource nulls,
        Expression<Func<T, bool>>? filter = null, Expression<Func<T, double>>? selector = null)
    {
        var xs = Expression.Parameter(typeof(T[]), "xs");
        var node = ListAggregateExpression.Create(kind, xs, filter, selector, nullSource: nulls);
        return new(name, Expression.Lambda(node, xs), [input]);
    }

    public static IrCase Named(string name) => All().Single(c => c.Name == name);

    public static IEnumerable<IrCase> All()
    {
        yield return new("Total", TotalIr(), [F64, F64, F64, Bool], (Func<double, double?, double?, bool, double?>)Total);
        yield return new("TotalWithAssignment", TotalIrWithAssignment(), [F64, F64, F64, Bool], (Func<double, double?, double?, bool, double?>)Total);
        yield return new("SharedFailingConditional", SharedFailingConditionalIr(), [Int64Type.Default, F64]);
        yield return Case<int, int, int>("IntDivide", (a, b) => a / b, Int32Type.Default, Int32Type.Default);
        yield return Case<int, int, int>("GuardedDivide", (a, b) => b != 0 ? a / b : -1, Int32Type.Default, Int32Type.Default);
        yield return new("ThrowingArm", ThrowingArmIr(), [Bool, F64], (Func<bool, double?, double>)((present, value) => (present ? value!.Value : throw new NullReferenceException()) * 2));
        yield return Case<long, long, long>("CheckedMultiply", (a, b) => checked(a * b), Int64Type.Default, Int64Type.Default);
        yield return Case<long, long, long>("Modulo", (a, b) => a % b, Int64Type.Default, Int64Type.Default);
        yield return Case<double?, double>("NullableValue", x => x!.Value * 2, F64);
        yield return Case<double?, double?, double?>("LiftedAdd", (x, y) => x + y, F64, F64);
        yield return Case<double?, double, double>("Coalesce", (x, y) => x ?? y, F64, F64);
        yield return Case<double, double>("MathCalls", x => Math.Sqrt(Math.Abs(x)) + Math.Floor(x) - Math.Exp(x / 100) + Math.Log(x), F64);
        yield return Case<float, float, float>("Float", (x, y) => MathF.Max(x, y) * 0.5f - x / y, FloatType.Default, FloatType.Default);
        yield return Case<sbyte, short, int>("SmallInts", (a, b) => a * b + 1, Int8Type.Default, Int16Type.Default);
        yield return Case<byte, ushort, uint>("Unsigned", (a, b) => (uint)(a + b) * 3u, UInt8Type.Default, UInt16Type.Default);
        yield return Case<uint, ulong, ulong>("UnsignedDivide", (a, b) => a / b, UInt32Type.Default, UInt64Type.Default);
        yield return Case<bool, bool?, bool>("Bools", (a, b) => a && b == true || !a && b == null, Bool, Bool);
        yield return Case<bool?, bool?, bool?>("LiftedBoolAnd", (a, b) => a & b, Bool, Bool);
        yield return Case<string, int>("StringLength", s => s.Length, Utf8);
        yield return Case<string, string>("StringUpper", s => s.ToUpperInvariant() + "!", Utf8);
        yield return Case<string, string, bool>("StringEquals", (s, t) => s == t, Utf8, Utf8);
        yield return Case<string, bool>("StringContains", s => s.Contains("a", StringComparison.Ordinal) || s.StartsWith("A", StringComparison.Ordinal), Utf8);
        yield return Case<string, bool>("Utf8Compare", s => s == "Straße" || s.EndsWith("b", StringComparison.Ordinal) || string.IsNullOrEmpty(s) || s != "日本語" && s.Contains("🙂"), Utf8);
        yield return Case<string, int>("Utf8NullSafeLength", s => s != null && s.Length > 3 ? s.Length : -1, LargeStringType.Default);
        yield return Case<string, bool>("Utf8StartsWithEmpty", s => s.StartsWith("", StringComparison.Ordinal) && !s.Contains("é"), Utf8);
        yield return Case<string, string>("StringTrimReplace", s => s.Trim().Replace("-", "+"), LargeStringType.Default);
        yield return Case<string, string?>("StringNullable", s => s.Length > 2 ? s.Substring(1, 2) : null, Utf8);
        yield return Case<DateTime, TimeSpan, DateTime>("DatePlusDuration", (t, d) => t + d, new TimestampType(TimeUnit.Microsecond, "UTC"), DurationType.Millisecond);
        yield return Case<DateTime, int>("TimestampParts", t => t.Year * 100 + t.Month + t.Hour, new TimestampType(TimeUnit.Nanosecond, (string?)null));
        yield return Case<DateOnly, DateOnly>("DateAddDays", d => d.AddDays(30), Date32Type.Default);
        yield return Case<DateTime, long>("TimestampSeconds", t => t.Ticks / TimeSpan.TicksPerSecond, new TimestampType(TimeUnit.Second, (string?)null));
        yield return Case<TimeSpan, double>("DurationHours", d => d.TotalHours, DurationType.Microsecond);
        yield return Case<double[], double>("ListSum", xs => xs.Sum(), new ListType(F64));
        yield return Case<long[], long>("ListLength", xs => xs.Length + (xs.Length > 0 ? xs[0] : 0), new ListType(Int64Type.Default));
        yield return Case<string[], string>("ListOfStrings", xs => string.Join("|", xs), new ListType(Utf8));
        yield return Case<int[], int>("ListIndex", xs => xs[2], new ListType(Int32Type.Default));
        yield return Aggregate<double>("AggregateSum", new ListType(F64), ListAggregateKind.Sum, ListNullSource.ThrowsArgumentNull);
        yield return Aggregate<long>("AggregateMaxFiltered", new ListType(Int64Type.Default), ListAggregateKind.Max, ListNullSource.ThrowsArgumentNull, filter: x => x % 2 == 0);
        yield return Aggregate<int>("AggregateCountNullIsEmpty", new ListType(Int32Type.Default), ListAggregateKind.Count, ListNullSource.IsEmpty);
        yield return Aggregate<double>("AggregateAverageSelected", new ListType(F64), ListAggregateKind.Average, ListNullSource.ThrowsNullReference, selector: x => x * 2);
        yield return Aggregate<string>("AggregateAnyStrings", new ListType(Utf8), ListAggregateKind.Any, ListNullSource.ThrowsNullReference, filter: s => s.Length > 2);
        yield return Case<double[], double>("ArrayLoop", xs => xs == null ? -1 : xs.Length > 1 ? xs[0] - xs[xs.Length - 1] : 0, new ListType(F64));
        yield return Case<int, int, int>("CheckedAddInt", (a, b) => checked(a + b) - checked(a - b), Int32Type.Default, Int32Type.Default);
        yield return Case<ulong, ulong, ulong>("CheckedAddUnsigned", (a, b) => checked(a + b) + checked(a - b), UInt64Type.Default, UInt64Type.Default);
        yield return Case<double?, double?, bool>("LiftedEquality", (x, y) => x == y || x != y && x < y, F64, F64);
        yield return Case<double?, double?, bool?>("LiftedToNullCompare", (x, y) => x > y, F64, F64);
        yield return Case<long?, long?, long>("NestedFailingArms", (x, y) => x > 0 ? (y > 0 ? x.Value / y.Value : y ?? -1) : x ?? y!.Value, Int64Type.Default, Int64Type.Default);
        yield return Case<double?, double?, double>("CoalesceChain", (x, y) => x ?? y ?? Math.Pow(2, 0.5), F64, F64);
        yield return Case<int, int>("SwitchLike", x => x == 0 ? 10 : x == 1 ? 20 : x < 0 ? 100 / (x + 5) : x % 7, Int32Type.Default);
        yield return Case<double, long>("ConvertDoubleToLong", x => (long)x + (long)Math.Round(x), F64);
        yield return Case<long, double>("ConvertLongToDouble", x => x / 3.0 + x, Int64Type.Default);
        yield return Case<float?, float>("FloatValue", x => x.GetValueOrDefault() + x.GetValueOrDefault(2f) * MathF.Sqrt(x ?? 4f), FloatType.Default);
        yield return Case<bool, bool, bool>("BoolLogic", (a, b) => a ^ b | (a & !b) || a == b, Bool, Bool);
        yield return Case<uint, uint, uint>("UnsignedModulo", (a, b) => a % b + (a & b), UInt32Type.Default, UInt32Type.Default);
        yield return Case<int, double, int?, double>("MixedIntDouble", (quantity, price, discount) => quantity * price * (1 - (discount ?? 0) / 100.0), Int32Type.Default, F64, Int32Type.Default);
        yield return Case<float, double, float>("MixedFloatDouble", (x, y) => (float)(x * y) + x - (float)y, FloatType.Default, F64);
        yield return Case<int, long, long>("MixedIntLong", (a, b) => a + b - (int)b + (a > 0 ? b / a : 0L), Int32Type.Default, Int64Type.Default);
        yield return Case<uint, ulong, ulong>("MixedUnsigned", (a, b) => a + b + (uint)b * 2u + (ulong)(int)a + (ulong)(long)(int)a, UInt32Type.Default, UInt64Type.Default);
        yield return Case<long, int, double>("IntegersToFloating", (a, b) => (double)a + (float)a + (float)b + (double)(ulong)a + (double)(uint)b, Int64Type.Default, Int32Type.Default);
        yield return Case<int, uint, float, float>("IntegersToFloat", (a, b, f) => a * f + b - (float)(a ^ (int)b), Int32Type.Default, UInt32Type.Default, FloatType.Default);
        yield return Case<double, int, long>("FloatingToIntegers", (x, y) => (int)x + y + (long)(x * 2) + (uint)x, F64, Int32Type.Default);
        yield return Case<sbyte, byte, short, ushort, double>("SmallIntsWide", (a, b, c, d) => a * b + c * (long)d + (a < b ? 1.5 : -0.5) + (c == d ? 1 : 0), Int8Type.Default, UInt8Type.Default, Int16Type.Default, UInt16Type.Default);
        yield return Case<int, long, short>("NarrowToShort", (a, b) => (short)(a + (int)b), Int32Type.Default, Int64Type.Default);
        yield return Case<short, double, byte>("NarrowToByte", (a, x) => (byte)(a * 3 + (int)x + (sbyte)a + (ushort)x), Int16Type.Default, F64);
        yield return Case<sbyte?, sbyte, sbyte>("SmallMax", (a, b) => Math.Max(a ?? b, b), Int8Type.Default, Int8Type.Default);
        yield return Case<ushort, ushort?, ushort?>("SmallSelect", (a, b) => a == b ? a : b, UInt16Type.Default, UInt16Type.Default);
        yield return Case<bool?, bool?, bool?>("KleeneLogic", (a, b) => a & b | !a ^ (a | b), Bool, Bool);
        yield return Case<bool?, double?, bool?>("KleeneWithCompare", (a, x) => a & (x > 0) | (x < -1), Bool, F64);
        yield return Case<int?, double?, double?>("LiftedMixedMultiply", (a, b) => a * b + (a > 2 ? 1 : b), Int32Type.Default, F64);
        yield return Case<DateTime, DateTime?, bool>("TimestampCompare", (t, u) => t < u || t == u || t > u.GetValueOrDefault(), new TimestampType(TimeUnit.Second, (string?)null), new TimestampType(TimeUnit.Nanosecond, "UTC"));
        yield return Case<DateTime, DateTime, long>("TimestampElapsed", (t, u) => (t - u).Ticks, new TimestampType(TimeUnit.Millisecond, (string?)null), new TimestampType(TimeUnit.Nanosecond, (string?)null));
        yield return Case<TimeSpan, TimeSpan?, TimeSpan>("DurationSum", (a, b) => a + b ?? a - b.GetValueOrDefault(a), DurationType.Second, DurationType.Nanosecond);
        yield return Case<DateTime, TimeSpan, DateTime>("TimestampMinusDuration", (t, d) => t - d > t ? t : t - d - d, new TimestampType(TimeUnit.Second, (string?)null), DurationType.Millisecond);
        yield return Case<double, double, double>("MathMinMaxAbs", (a, b) => Math.Min(Math.Abs(a), Math.Max(a, b)) + Math.Floor(a) * Math.Ceiling(b) - Math.Sqrt(b) + Math.Exp(Math.Min(a, 50)) + Math.Sin(b) + Math.Atan2(a, b), F64, F64);
    }

    private static IrCase Case<T, TResult>(string name, Expression<Func<T, TResult>> ir, IArrowType input) =>
        new(name, ir, [input], ir.Compile());

    private static IrCase Case<T1, T2, TResult>(string name, Expression<Func<T1, T2, TResult>> ir, IArrowType input1, IArrowType input2) =>
        new(name, ir, [input1, input2], ir.Compile());

    private static IrCase Case<T1, T2, T3, TResult>(string name, Expression<Func<T1, T2, T3, TResult>> ir, IArrowType input1, IArrowType input2, IArrowType input3) =>
        new(name, ir, [input1, input2, input3], ir.Compile());

    private static IrCase Case<T1, T2, T3, T4, TResult>(string name, Expression<Func<T1, T2, T3, T4, TResult>> ir, IArrowType input1, IArrowType input2, IArrowType input3, IArrowType input4) =>
        new(name, ir, [input1, input2, input3, input4], ir.Compile());
}
