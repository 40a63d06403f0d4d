using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Tests.Expressions;

/// <summary>
/// Generators of well-typed expression strings over <see cref="Schema"/> that are also valid C#
/// (every composite is parenthesized, so the text means the same in both languages), and of garbage.
/// </summary>
internal static class ExpressionGenerators
{
    public enum Kind { Double, NullableDouble, Int, NullableLong, Bool, String }

    public static readonly Dictionary<string, Type> Schema = new()
    {
        ["x"] = typeof(double),
        ["y"] = typeof(double?),
        ["n"] = typeof(int),
        ["m"] = typeof(long?),
        ["flag"] = typeof(bool),
        ["s"] = typeof(string),
    };

    public static Gen<string> Of(Kind kind, int depth)
    {
        var leaves = Leaves(kind);
        if (depth <= 0) return leaves;
        return Gen.Frequency((2, leaves), (5, Composite(kind, depth - 1)));
    }

    private static Gen<string> Leaves(Kind kind) => kind switch
    {
        Kind.Double => Gen.Elements("x", "0", "1.5", "1000", "0.1", "1e300", "2.5e-3", "3"),
        Kind.NullableDouble => Gen.Elements("y", "y", "(flag ? y : null)"),
        Kind.Int => Gen.Elements("n", "0", "1", "7", "-3", "2147483647"),
        Kind.NullableLong => Gen.Elements("m", "m", "(flag ? m : 5L)"),
        Kind.Bool => Gen.Elements("flag", "true", "false"),
        _ => Gen.Elements("s", "\"ab\"", "\"\"", "\"é@x\"", "\"A@Gmail.com\""),
    };

    private static Gen<string> Composite(Kind kind, int depth)
    {
        Gen<string> D() => Of(Kind.Double, depth);
        Gen<string> ND() => Of(Kind.NullableDouble, depth);
        Gen<string> I() => Of(Kind.Int, depth);
        Gen<string> NL() => Of(Kind.NullableLong, depth);
        Gen<string> B() => Of(Kind.Bool, depth);
        Gen<string> S() => Of(Kind.String, depth);
        Gen<string> Op(params string[] ops) => Gen.Elements(ops);

        return kind switch
        {
            Kind.Double => Gen.OneOf(
                Format("({0} {1} {2})", D(), Op("+", "-", "*", "/", "%"), D()),
                Format("({0} {1} {2})", I(), Op("+", "-", "*", "/"), D()),
                Format("F.Clamp({0}, {1}, {2})", D(), Gen.Elements("0", "-1.5"), Gen.Elements("1", "100")),
                Format("F.{0}({1})", Gen.Elements("Abs", "Round", "Floor", "Ceiling", "Sqrt", "Log", "Exp"), D()),
                Format("F.{0}({1}, {2})", Gen.Elements("Max", "Min", "Pow"), D(), D()),
                Format("({0} ?? {1})", ND(), D()),
                Format("({0} ? {1} : {2})", B(), D(), I()),
                Format("(-{0})", D()),
                Format("F.Coalesce({0}, {1})", ND(), D()),
                Format("F.IfThenElse({0}, {1}, {2})", B(), D(), D())),
            Kind.NullableDouble => Gen.OneOf(
                Format("({0} {1} {2})", ND(), Op("+", "-", "*", "/"), D()),
                Format("({0} {1} {2})", I(), Op("*", "-"), ND()),
                Format("({0} ? {1} : {2})", B(), ND(), D()),
                Format("F.SafeDivide({0}, {1})", D(), D()),
                Format("({0} ?? {1})", ND(), NL())),
            Kind.Int => Gen.OneOf(
                Format("({0} {1} {2})", I(), Op("+", "-", "*", "/", "%"), I()),
                Format("F.{0}({1})", Gen.Elements("Length"), S()),
                Format("F.IndexOf({0}, {1})", S(), Gen.Elements("\"a\"", "\"@\"", "\"\"")),
                Format("F.Clamp({0}, 0, 10)", I()),
                Format("({0} ? {1} : {2})", B(), I(), I()),
                Format("(-{0})", I())),
            Kind.NullableLong => Gen.OneOf(
                Format("({0} {1} {2})", NL(), Op("+", "*", "%", "/"), I()),
                Format("({0} ? {1} : {2})", B(), NL(), I())),
            Kind.Bool => Gen.OneOf(
                Format("({0} {1} {2})", D(), Op("<", "<=", ">", ">=", "==", "!="), D()),
                Format("({0} {1} {2})", ND(), Op("<", ">=", "==", "!="), I()),
                Format("({0} {1} {2})", NL(), Op("<", "=="), ND()),
                Format("({0} {1} {2})", S(), Op("==", "!="), S()),
                Format("(!{0})", B()),
                Format("({0} {1} {2})", B(), Op("&&", "||", "==", "!="), B()),
                Format("F.{0}({1}, {2})", Gen.Elements("Contains", "StartsWith", "EndsWith"), S(), S()),
                Format("({0} == null)", Gen.OneOf(ND(), S(), NL())),
                Format("F.IsNull({0})", ND())),
            _ => Gen.OneOf(
                Format("({0} + {1})", S(), S()),
                Format("F.{0}({1})", Gen.Elements("Lower", "Upper", "Trim"), S()),
                Format("({0} ?? {1})", S(), S()),
                Format("({0} ? {1} : {2})", B(), S(), S()),
                Format("F.Coalesce({0}, {1})", S(), S()),
                Format("F.Left({0}, {1})", S(), I()),
                Format("F.Replace({0}, \"a\", {1})", S(), S()),
                Format("F.SplitPart({0}, \"@\", 0)", S())),
        };
    }

    private static Gen<string> Format(string format, params Gen<string>[] parts) =>
        Gen.CollectToList(parts).Select(values => string.Format(System.Globalization.CultureInfo.InvariantCulture, format, values.ToArray<object>()));

    /// <summary>Token soup: pieces of the language in random order, which is almost never well formed.</summary>
    public static Gen<string> Garbage() =>
        Gen.Elements("x", "y", "s", "n", "F", ".", "Clamp", "Lower", "(", ")", ",", "+", "-", "*", "/", "%", "!", "==", "=", "<", ">=",
                "&&", "||", "&", "??", "?", ":", "\"", "\"a\"", "\\", "1", "1.5", "1e", "99999999999999999999", "null", "true", "new", " ",
                "@", "#", "'", "é", "\u0000", "F.", "x.", "9L", "1.5L", "\\u12", "[", "]")
            .ListOf()
            .Select(parts => string.Concat(parts));
}
