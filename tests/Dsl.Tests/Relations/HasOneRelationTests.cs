using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Runtime;
using Dsl.Runtime.Execution.Relations;
using Dsl.TestSupport.Columns;

namespace Dsl.Tests.Relations;

/// <summary>Has-one relations: discovery, explicit composite keys, and the errors for keys that cannot be joined.</summary>
public sealed class HasOneRelationTests
{
    private sealed class PurchaseFeatures : FeatureSet<Purchase>
    {
        protected override void Define(FeatureSetBuilder<Purchase> features) => features
            .Define(p => p.Country, _ => _.Buyer!.Country)
            .Define(p => p.Score2, _ => _.Buyer!.Score * 2);
    }

    private sealed class OrderFeatures : FeatureSet<Order>
    {
        protected override void Define(FeatureSetBuilder<Order> features) => features
            .HasOne(o => o.Merchant, (o, m) => m.Code == o.MerchantCode && m.Region == o.Region)
            .Define(o => o.Category, _ => _.Merchant == null ? "none" : _.Merchant.Category)
            .Define(o => o.Risk, _ => _.Merchant!.Risk + 1);
    }

    [Test]
    public void Graph_FindsTheHasOneRelationByConvention()
    {
        var relation = new PurchaseFeatures().Graph.Relations.Single(r => r.Kind == RelationKind.HasOne);
        Assert.That(relation.ToString(), Is.EqualTo("Purchase.Buyer: has one Buyer on Buyer.Id = Purchase.BuyerId"));
    }

    [Test]
    public void Graph_AHasOneRelationWithoutAKey_NamesBothEntitiesAndTheKeys()
    {
        var error = Assert.Throws<FeatureDefinitionException>(() => _ = new FeatureSet<Gift>(f => f.Define(g => g.Country, _ => _.Seller!.Country)).Graph);
        Assert.That(error!.Message, Does.Contain("Gift").And.Contain("Buyer").And.Contain("SellerId").And.Contain("Buyer.Id").And.Contain("HasOne("));
    }

    [Test]
    public void Graph_ARelationChainedThroughHasOne_IsNotSupported_AndSaysWhy()
    {
        var chained = new FeatureSet<Purchase>(f => f.Define(p => p.CountryLength, _ => _.Buyer!.Purchases.Count()));
        var error = Assert.Throws<FeatureDefinitionException>(() => _ = chained.Graph);
        Assert.That(error!.Message, Does.Contain("Buyer.Purchases").And.Contain("not supported").And.Contain("feature of Buyer"));
    }

    [Test]
    public void Evaluate_CompositeKeys_BatchAndOnlineAgree_NullAndUnmatchedKeysSeeNoMerchant()
    {
        var features = new OrderFeatures().Compile();
        Assert.That(features.Verdicts.Select(v => v.Mode), Is.All.EqualTo(ExecutionMode.Compiled));
        var merchants = new[]
        {
            new Merchant { Region = "eu", Code = "a", Category = "food", Risk = 0.5 },
            new Merchant { Region = "us", Code = "a", Category = null, Risk = -0.0 },
            new Merchant { Region = "eu", Code = "b", Category = "ünï", Risk = double.NaN },
        };
        var orders = new[]
        {
            new Order { Id = 1, Region = "us", MerchantCode = "a" }, new Order { Id = 2, Region = "eu", MerchantCode = "a" },
            new Order { Id = 3, Region = null, MerchantCode = "a" }, new Order { Id = 4, Region = "eu", MerchantCode = "zz" },
            new Order { Id = 5, Region = "eu", MerchantCode = "b" },
        };
        using var orderBatch = Batch(("Id", Int64Type.Default, orders.Select(o => (object?)o.Id)), ("Region", StringType.Default, orders.Select(o => (object?)o.Region)),
            ("MerchantCode", StringType.Default, orders.Select(o => (object?)o.MerchantCode)));
        using var merchantBatch = Batch(("Region", StringType.Default, merchants.Select(m => (object?)m.Region)), ("Code", StringType.Default, merchants.Select(m => (object?)m.Code)),
            ("Category", StringType.Default, merchants.Select(m => (object?)m.Category)), ("Risk", DoubleType.Default, merchants.Select(m => (object?)m.Risk)));

        using var result = features.Evaluate(orderBatch, new EvaluateOptions { Related = new Dictionary<string, RecordBatch> { ["Merchant"] = merchantBatch } });

        var categories = (StringArray)result.Output.Column("Category");
        Assert.That(Enumerable.Range(0, orders.Length).Select(i => categories.GetString(i)), Is.EqualTo(new[] { null, "food", "none", "none", "ünï" }));
        Assert.That(result.Errors["Risk"].Select(e => (e.Row, e.ExceptionType)),
            Is.EqualTo(new[] { (2, typeof(NullReferenceException).FullName), (3, typeof(NullReferenceException).FullName) }));
        for (var i = 0; i < orders.Length; i++)
        {
            orders[i].Merchant = merchants.SingleOrDefault(m => m.Region == orders[i].Region && m.Code == orders[i].MerchantCode);
            var online = features.Evaluate(orders[i]);
            Assert.That(online["Category"], Is.EqualTo(categories.GetString(i)), $"order {i}");
            var risk = (DoubleArray)result.Output.Column("Risk");
            Assert.That(online["Risk"], Is.EqualTo(risk.IsNull(i) ? null : risk.GetValue(i)), $"order {i}");
            Assert.That(online.Errors.Select(e => e.ExceptionType), Is.EqualTo(result.Errors["Risk"].Where(e => e.Row == i).Select(e => e.ExceptionType)), $"order {i}");
        }
    }

    [TestCase(new long[] { 3, 5, 3 }, "the Buyer key (Id) 3 appears at rows 0 and 2; Buyer keys must be unique")]
    [TestCase(new long[] { 3, -1, 5 }, "the Buyer's key (Id) is null at row 1")]
    public void Evaluate_ABadBuyerKey_IsAnErrorNamingTheKeyAndRows(long[] ids, string message)
    {
        var features = new PurchaseFeatures().Compile();
        using var purchases = Batch(("Id", Int64Type.Default, [1L]), ("BuyerId", Int64Type.Default, [3L]));
        using var buyers = Batch(("Id", Int64Type.Default, ids.Select(id => id < 0 ? null : (object?)id)), ("Country", StringType.Default, ids.Select(_ => (object?)"FR")),
            ("Score", DoubleType.Default, ids.Select(_ => (object?)1.0)));
        foreach (var mode in new[] { EvaluationMode.Auto, EvaluationMode.Fallback })
        {
            var error = Assert.Throws<RelationKeyException>(() => features.Evaluate(purchases, new EvaluateOptions { Mode = mode, Related = new Dictionary<string, RecordBatch> { ["Buyer"] = buyers } }));
            Assert.That(error!.Message, Does.StartWith("Relation 'Buyer': ").And.Contain(message), mode.ToString());
        }
    }

    [Test]
    public void Evaluate_KeysOfDifferentTypes_NameBothColumns()
    {
        var features = new PurchaseFeatures().Compile();
        using var purchases = Batch(("Id", Int64Type.Default, [1L]), ("BuyerId", Int64Type.Default, [3L]));
        using var buyers = Batch(("Id", StringType.Default, ["3"]), ("Country", StringType.Default, ["FR"]), ("Score", DoubleType.Default, [1.0]));
        var error = Assert.Throws<RelationKeyException>(() => features.Evaluate(purchases, new EvaluateOptions { Related = new Dictionary<string, RecordBatch> { ["Buyer"] = buyers } }));
        Assert.That(error!.Message, Does.Contain("the Buyer column 'Id' is utf8").And.Contain("column 'BuyerId' is int64"));
    }

    [Test]
    public void Evaluate_WithoutTheBuyerBatch_SaysWhichRelationIsMissing()
    {
        var features = new PurchaseFeatures().Compile();
        using var purchases = Batch(("Id", Int64Type.Default, [1L]), ("BuyerId", Int64Type.Default, [3L]));
        var error = Assert.Throws<ArgumentException>(() => features.Evaluate(purchases));
        Assert.That(error!.Message, Does.Contain("relation 'Buyer'"));
    }

    [Test]
    public void Evaluate_ABuyerColumnTheFeaturesReadIsMissing_IsABindingError()
    {
        var features = new PurchaseFeatures().Compile();
        using var purchases = Batch(("Id", Int64Type.Default, [1L]), ("BuyerId", Int64Type.Default, [3L]));
        using var buyers = Batch(("Id", Int64Type.Default, [3L]), ("Country", StringType.Default, ["FR"]));
        var error = Assert.Throws<ColumnBindingException>(() => features.Evaluate(purchases, new EvaluateOptions { Related = new Dictionary<string, RecordBatch> { ["Buyer"] = buyers } }));
        Assert.That(error!.Message, Does.Contain("Buyer.Score").And.Contain("no column 'Score'"));
    }

    [Test]
    public void Evaluate_AResolverReadingARelationOfTheBuyer_FailsItsRowInABatch_InsteadOfReadingAnEmptyList()
    {
        var features = new FeatureSet<Purchase>(f => f.Resolve(p => p.CountryLength, (Buyer? buyer) => buyer == null ? -1 : buyer.Purchases.Count)).Compile();
        using var purchases = Batch(("Id", Int64Type.Default, [1L, 2L]), ("BuyerId", Int64Type.Default, [3L, null]));
        using var buyers = Batch(("Id", Int64Type.Default, [3L]), ("Country", StringType.Default, ["FR"]), ("Score", DoubleType.Default, [1.0]));
        using var result = features.Evaluate(purchases, new EvaluateOptions { Related = new Dictionary<string, RecordBatch> { ["Buyer"] = buyers } });
        Assert.That(result.Errors["CountryLength"].Select(e => (e.Row, e.ExceptionType)), Is.EqualTo(new[] { (0, typeof(NullReferenceException).FullName) }));
        Assert.That(((Int32Array)result.Output.Column("CountryLength")).GetValue(1), Is.EqualTo(-1));
    }

    private static RecordBatch Batch(params (string Name, IArrowType Type, IEnumerable<object?> Values)[] columns)
    {
        var arrays = columns.Select(c => TestArrays.Array(c.Type, c.Values.ToArray())).ToArray();
        return new RecordBatch(new Schema(columns.Select(c => new Field(c.Name, c.Type, true)), null), arrays, arrays[0].Length);
    }
}
