using Dsl.Samples;

namespace Dsl.Tests.Features;

public sealed class FeatureGraphBuilderTests
{
    public sealed class Order
    {
        [PrimaryKey] public long Id { get; set; }
        public double Amount { get; set; }
        public double? Fee { get; set; }
        public int Quantity { get; set; }
        public string? Note { get; set; }
        public string Country { get; set; } = "";
        public double Net { get; set; }
        public double? NetOrNull { get; set; }
        public bool Big { get; set; }
        public string Label { get; set; } = "";
    }

    private static FeatureGraph Build(Action<FeatureSetBuilder<Order>> define) => new FeatureSet<Order>(define).Graph;

    [Test]
    public void Graph_SampleTransactions_ListsInputsThenComputedInDependencyOrder()
    {
        var graph = new TransactionFeatures().Graph;

        Assert.That(graph.Inputs.Select(f => f.Name), Is.EqualTo(new[] { "Id", "UserId", "Subtotal", "Discount", "TaxRate", "Taxable", "CreatedAt", "Email" }));
        var computed = graph.Computed.Select(f => f.Name).ToList();
        Assert.That(computed, Is.EquivalentTo(new[] { "IsExpensive", "Total", "EmailUsername", "LargeTaxableTotal" }));
        Assert.That(computed.IndexOf("Total"), Is.LessThan(computed.IndexOf("LargeTaxableTotal")));
        Assert.That(graph["Total"].Dependencies, Is.EqualTo(new[] { "Subtotal", "Discount", "TaxRate", "Taxable" }));
        Assert.That(graph["LargeTaxableTotal"].Dependencies, Is.EqualTo(new[] { "Total", "Taxable" }));
        Assert.That(graph.PrimaryKey?.Name, Is.EqualTo("Id"));
        Assert.That(graph["tax_rate"].IsNullable, Is.True);
        Assert.That(graph["Email"].IsNullable, Is.False);
    }

    [Test]
    public void Graph_UnderscoreExpression_BecomesAFunctionOfTheFeaturesItReads()
    {
        var graph = Build(f => f.Define(o => o.Net, _ => _.Amount - (_.Fee ?? 0) * _.Quantity));
        var net = graph["Net"];

        Assert.That(net.Kind, Is.EqualTo(FeatureKind.Expression));
        Assert.That(net.Dependencies, Is.EqualTo(new[] { "Amount", "Fee", "Quantity" }));
        var function = (System.Linq.Expressions.LambdaExpression)net.Function!;
        Assert.That(function.Compile().DynamicInvoke(10.0, 1.5, 2), Is.EqualTo(7.0));
    }

    [Test]
    public void Graph_ResolverWithSnakeAndCamelNames_BindsCaseAndUnderscoreTolerantly()
    {
        var graph = Build(f => f.Resolve(o => o.Net, (double AMOUNT, double? fee, int quantity) => AMOUNT - (fee ?? 0) * quantity));

        Assert.That(graph["Net"].Dependencies, Is.EqualTo(new[] { "Amount", "Fee", "Quantity" }));
    }

    [Test]
    public void Graph_ResolverWithExplicitBinding_UsesTheBinding()
    {
        var graph = Build(f => f.Resolve(o => o.Net, (double x, int n) => x * n, new Dictionary<string, string> { ["x"] = "Amount", ["n"] = "quantity" }));

        Assert.That(graph["Net"].Dependencies, Is.EqualTo(new[] { "Amount", "Quantity" }));
    }

    [Test]
    public void Graph_StringExpressionWithIntResult_IsConvertedToTheFeatureType()
    {
        var graph = Build(f => f.Define(o => o.Net, "quantity * 2"));

        var function = (System.Linq.Expressions.LambdaExpression)graph["Net"].Function!;
        Assert.That(function.ReturnType, Is.EqualTo(typeof(double)));
    }

    [Test]
    public void Graph_ResolverParameterMatchingNoFeature_ThrowsUnknownFeatureNamingBoth()
    {
        var error = Assert.Throws<UnknownFeatureException>(() => Build(f => f.Resolve(o => o.Net, (double amount, double? fees) => amount)))!;

        Assert.That(error.Feature, Is.EqualTo("Net"));
        Assert.That(error.UnknownName, Is.EqualTo("fees"));
        Assert.That(error.Message, Is.EqualTo("Order.Net: parameter 'fees' is bound to 'fees', which is not a feature of Order (did you mean 'Fee'?)"));
    }

    [Test]
    public void Graph_StringExpressionWithUnknownName_ThrowsUnknownFeatureWithColumn()
    {
        var error = Assert.Throws<UnknownFeatureException>(() => Build(f => f.Define(o => o.Big, "amount > 10 && quantty > 1")))!;

        Assert.That(error.UnknownName, Is.EqualTo("quantty"));
        Assert.That(error.Message, Does.StartWith("Order.Big: the expression \"amount > 10 && quantty > 1\" at column 16: Unknown feature 'quantty' (did you mean 'Quantity'?)"));
    }

    [Test]
    public void Graph_StringExpressionSyntaxError_ThrowsDefinitionErrorWithColumn()
    {
        var error = Assert.Throws<FeatureDefinitionException>(() => Build(f => f.Define(o => o.Big, "amount >> 1")))!;

        Assert.That(error.Message, Is.EqualTo("Order.Big: the expression \"amount >> 1\" at column 9: Expected a value but found '>'"));
        Assert.That(error.InnerException, Is.InstanceOf<ExpressionParseException>());
    }

    [Test]
    public void Graph_StringExpressionOfWrongType_ThrowsFeatureType()
    {
        var error = Assert.Throws<FeatureTypeException>(() => Build(f => f.Define(o => o.Big, "amount + 1")))!;

        Assert.That(error.Message, Is.EqualTo("Order.Big: the expression \"amount + 1\" is double, but the feature is bool"));
    }

    [Test]
    public void Graph_ResolverReturningWrongType_ThrowsFeatureType()
    {
        var error = Assert.Throws<FeatureTypeException>(() => Build(f => f.Resolve(o => o.Net, (string country) => country)))!;

        Assert.That(error.Message, Is.EqualTo("Order.Net: the resolver returns string, but the feature is double"));
    }

    [Test]
    public void Graph_ResolverParameterOfWrongType_ThrowsFeatureType()
    {
        var error = Assert.Throws<FeatureTypeException>(() => Build(f => f.Resolve(o => o.Net, (int amount) => amount * 2.0)))!;

        Assert.That(error.Message, Is.EqualTo("Order.Net: parameter 'amount' is int, but feature 'Amount' is double"));
    }

    [Test]
    public void Graph_NonNullableParameterOnNullableFeature_NeedsANullableResult()
    {
        Assert.DoesNotThrow(() => Build(f => f.Resolve(o => o.NetOrNull, (double amount, double fee) => amount - fee)));

        var error = Assert.Throws<FeatureTypeException>(() => Build(f => f.Resolve(o => o.Net, (double amount, double fee) => amount - fee)))!;
        Assert.That(error.Problem, Does.StartWith("parameter 'fee' takes double from nullable feature 'Fee', so a null makes the result null, but the feature is double"));
    }

    [Test]
    public void Graph_Cycle_ThrowsCycleNamingThePath()
    {
        var error = Assert.Throws<FeatureCycleException>(() => Build(f => f
            .Define(o => o.Net, _ => _.NetOrNull ?? _.Amount)
            .Resolve(o => o.NetOrNull, (double net, bool big) => big ? net : 0.0)
            .Define(o => o.Big, "net_or_null > 5")))!;

        Assert.That(error.Cycle, Is.EqualTo(new[] { "Net", "NetOrNull", "Net" }));
        Assert.That(error.Message, Is.EqualTo("Order.Net: features depend on each other in a cycle: Net -> NetOrNull -> Net"));
    }

    [Test]
    public void Graph_SelfReference_IsACycle()
    {
        var error = Assert.Throws<FeatureCycleException>(() => Build(f => f.Define(o => o.Net, "net + 1")))!;

        Assert.That(error.Cycle, Is.EqualTo(new[] { "Net", "Net" }));
    }

    [Test]
    public void Graph_DefinedTwice_OrPrimaryKey_IsADefinitionError()
    {
        var twice = Assert.Throws<FeatureDefinitionException>(() => Build(f => f.Define(o => o.Big, "true").Define(o => o.Big, "false")))!;
        Assert.That(twice.Message, Is.EqualTo("Order.Big: is defined more than once"));

        var key = Assert.Throws<FeatureDefinitionException>(() => Build(f => f.Define(o => o.Id, "quantity * 2L")))!;
        Assert.That(key.Message, Is.EqualTo("Order.Id: is the primary key, an input; it cannot be computed"));
    }

    [Test]
    public void Graph_RowUsedOtherThanByProperty_IsADefinitionError()
    {
        var error = Assert.Throws<FeatureDefinitionException>(() => Build(f => f.Define(o => o.Label, _ => _.ToString()!)))!;

        Assert.That(error.Problem, Does.Contain("the row '_' is used other than by reading its properties"));
    }

    [Test]
    public void Define_SelectorThatIsNotAProperty_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Build(f => f.Define(o => o.Amount * 2, "1.0")));
    }
}
