using System.Linq.Expressions;

namespace Dsl.Tests.Expressions;

public sealed class StringExpressionTests
{
    private static readonly Dictionary<string, Type> Schema = new()
    {
        ["Subtotal"] = typeof(double),
        ["Discount"] = typeof(double?),
        ["TaxRate"] = typeof(double?),
        ["Taxable"] = typeof(bool),
        ["Quantity"] = typeof(int),
        ["Email"] = typeof(string),
        ["CreatedAt"] = typeof(DateTime),
        ["Score"] = typeof(float),
    };

    private static object? Evaluate(string text, params object?[] arguments) =>
        StringExpression.Parse(text, Schema).Lambda.Compile().DynamicInvoke(arguments);

    [Test]
    public void Parse_ComparisonAndLogic_TypesAsBoolAndReadsFeaturesInOrder()
    {
        var parsed = StringExpression.Parse("subtotal > 1000 && taxable", Schema);

        Assert.That(parsed.ResultType, Is.EqualTo(typeof(bool)));
        Assert.That(parsed.Features, Is.EqualTo(new[] { "Subtotal", "Taxable" }));
        Assert.That(parsed.Lambda.Compile().DynamicInvoke(1500.0, true), Is.EqualTo(true));
        Assert.That(parsed.Lambda.Compile().DynamicInvoke(1500.0, false), Is.EqualTo(false));
    }

    [Test]
    public void Parse_CoalesceWithIntLiteral_GivesDouble()
    {
        var parsed = StringExpression.Parse("discount ?? 0", Schema);

        Assert.That(parsed.ResultType, Is.EqualTo(typeof(double)));
        Assert.That(parsed.Lambda.Compile().DynamicInvoke(new object?[] { null }), Is.EqualTo(0.0));
        Assert.That(parsed.Lambda.Compile().DynamicInvoke(2.5), Is.EqualTo(2.5));
    }

    [Test]
    public void Parse_CatalogueCall_CallsTheCatalogueMethod()
    {
        var parsed = StringExpression.Parse("F.Clamp(score, 0, 1)", Schema);

        Assert.That(parsed.ResultType, Is.EqualTo(typeof(double)));
        Assert.That(parsed.Lambda.Body, Is.InstanceOf<MethodCallExpression>());
        Assert.That(((MethodCallExpression)parsed.Lambda.Body).Method.DeclaringType, Is.EqualTo(typeof(F)));
        Assert.That(parsed.Lambda.Compile().DynamicInvoke(1.5f), Is.EqualTo(1.0));
    }

    [TestCase("1 + 2 * 3", 7)]
    [TestCase("(1 + 2) * 3", 9)]
    [TestCase("10 - 4 - 3", 3)]
    [TestCase("-2 * 3", -6)]
    [TestCase("7 % 4 + 1", 4)]
    [TestCase("true ? 1 : false ? 2 : 3", 1)]
    [TestCase("-2147483648", int.MinValue)]
    public void Parse_Precedence_MatchesCSharp(string text, int expected) =>
        Assert.That(Evaluate(text), Is.EqualTo(expected));

    [TestCase("1 < 2 == true", true)]
    [TestCase("true || false && false", true)]
    [TestCase("!(1 > 2) && 3 >= 3", true)]
    [TestCase("false ? true : true && false", false)]
    public void Parse_LogicalPrecedence_MatchesCSharp(string text, bool expected) =>
        Assert.That(Evaluate(text), Is.EqualTo(expected));

    [Test]
    public void Parse_NamesInSnakeOrCamelCase_FindTheFeature()
    {
        Assert.That(StringExpression.Parse("tax_rate", Schema).Features, Is.EqualTo(new[] { "TaxRate" }));
        Assert.That(StringExpression.Parse("taxRate", Schema).Features, Is.EqualTo(new[] { "TaxRate" }));
        Assert.That(StringExpression.Parse("CREATED_AT", Schema).Features, Is.EqualTo(new[] { "CreatedAt" }));
    }

    [Test]
    public void Parse_NullableComparison_IsFalseForNullAsInCSharp()
    {
        Assert.That(Evaluate("discount > 5", new object?[] { null }), Is.EqualTo(false));
        Assert.That(Evaluate("discount == null", new object?[] { null }), Is.EqualTo(true));
        Assert.That(Evaluate("discount + 1", new object?[] { null }), Is.Null);
    }

    [Test]
    public void Parse_StringsAndDates_UseOrdinalOperatorsAndCatalogue()
    {
        Assert.That(Evaluate("email + \"!\"", "a@b"), Is.EqualTo("a@b!"));
        Assert.That(Evaluate("email == \"x\"", "x"), Is.EqualTo(true));
        Assert.That(Evaluate("F.Lower(F.SplitPart(email, \"@\", 0))", "Ann@X.com"), Is.EqualTo("ann"));
        Assert.That(Evaluate("F.Year(created_at) == 2024", new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc)), Is.EqualTo(true));
        Assert.That(Evaluate("F.IfThenElse(taxable, 1, 2.5)", true), Is.EqualTo(1.0));
        Assert.That(Evaluate("F.Coalesce(discount, 3)", new object?[] { null }), Is.EqualTo(3.0));
    }

    [Test]
    public void Parse_IntegerDivisionByZero_ThrowsTheBclExceptionAtEvaluation()
    {
        var function = StringExpression.Parse("quantity / quantity", Schema).Lambda.Compile();

        var error = Assert.Throws<System.Reflection.TargetInvocationException>(() => function.DynamicInvoke(0));
        Assert.That(error!.InnerException, Is.InstanceOf<DivideByZeroException>());
    }

    [TestCase("subtotl > 1", 1, "Unknown feature 'subtotl' (did you mean 'Subtotal'?)")]
    [TestCase("subtotal > ", 12, "Expected a value but the expression ended")]
    [TestCase("subtotal > \"a\"", 10, "Operator '>' cannot be applied to operands of type 'double' and 'string'")]
    [TestCase("taxable && 1", 9, "Operator '&&' cannot be applied to operands of type 'bool' and 'int'")]
    [TestCase("email.Length", 6, "Member access is only allowed on F")]
    [TestCase("new Object()", 1, "'new' is not allowed")]
    [TestCase("F.Clampp(1, 2, 3)", 3, "Unknown function 'F.Clampp' (did you mean 'F.Clamp'?)")]
    [TestCase("F.Clamp(email, 0, 1)", 3, "No overload of F.Clamp takes (string, int, int)")]
    [TestCase("subtotal ?? 0", 10, "The left side of '??' must be nullable, but it is 'double'")]
    [TestCase("subtotal = 1", 10, "Assignment is not allowed")]
    [TestCase("taxable ? 1 : \"x\"", 9, "The branches of '?:' have no common type: 'int' and 'string'")]
    [TestCase("(1 + 2", 7, "Expected ')' but the expression ended")]
    [TestCase("1 2", 3, "Unexpected '2' after the end of the expression")]
    [TestCase("\"abc", 1, "Unterminated string literal")]
    [TestCase("99999999999999999999", 1, "Integer literal is too large")]
    [TestCase("1e999", 1, "Number literal is outside the range of double")]
    [TestCase("subtotal # 2", 10, "Unexpected character '#'")]
    [TestCase("", 1, "The expression is empty")]
    [TestCase("System.IO.File.Delete(\"x\")", 1, "Unknown feature 'System'")]
    [TestCase("F.GetType()", 3, "Unknown function 'F.GetType'")]
    [TestCase("F.ReferenceEquals(1, 1)", 3, "Unknown function 'F.ReferenceEquals'")]
    public void Parse_Malformed_SaysWhatAndWhere(string text, int column, string problem)
    {
        var error = Assert.Throws<ExpressionParseException>(() => StringExpression.Parse(text, Schema))!;

        Assert.That(error.Problem, Does.StartWith(problem));
        Assert.That(error.Column, Is.EqualTo(column));
        Assert.That(error.Message, Does.Contain($"at column {column}"));
    }

    [Test]
    public void Parse_DeepNesting_IsAParseErrorNotAStackOverflow()
    {
        var text = new string('(', 100_000) + "1" + new string(')', 100_000);

        Assert.Throws<ExpressionParseException>(() => StringExpression.Parse(text, Schema));
        Assert.Throws<ExpressionParseException>(() => StringExpression.Parse(new string('!', 100_000) + "true", Schema));
        Assert.Throws<ExpressionParseException>(() => StringExpression.Parse(string.Concat(Enumerable.Repeat("discount ?? ", 100_000)) + "1", Schema));
    }
}
