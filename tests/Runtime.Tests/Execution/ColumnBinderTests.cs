using Apache.Arrow;
using Dsl.Runtime.Execution;
using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Execution;

public sealed class ColumnBinderTests
{
    private static RecordBatch Batch() => Batches.FromRows(
        [("Subtotal", typeof(double)), ("label", typeof(string)), ("count", typeof(long))], [[1.0, "a", 2L]]);

    private static FunctionParameter[] Parameters(params (string Name, Type Type)[] parameters) =>
        parameters.Select(p => new FunctionParameter(p.Name, p.Type)).ToArray();

    [Test]
    public void Bind_ExactThenCaseInsensitiveNames_FindsTheColumns()
    {
        using var batch = Batch();
        var columns = ColumnBinder.Bind(Parameters(("subtotal", typeof(double?)), ("label", typeof(string)), ("count", typeof(long))), null, batch);
        Assert.That(columns, Is.EqualTo(new[] { batch.Column(0), batch.Column(1), batch.Column(2) }));
    }

    [Test]
    public void Bind_ExplicitBinding_WinsOverTheName()
    {
        using var batch = Batch();
        var columns = ColumnBinder.Bind(Parameters(("x", typeof(long))), new Dictionary<string, string> { ["x"] = "count" }, batch);
        Assert.That(columns[0], Is.SameAs(batch.Column(2)));
    }

    [Test]
    public void Bind_MissingColumn_NamesParameterAndColumns()
    {
        using var batch = Batch();
        var thrown = Assert.Throws<ColumnBindingException>(() => ColumnBinder.Bind(Parameters(("discount", typeof(double?))), null, batch))!;
        Assert.That(thrown.Message, Does.Contain("'discount'").And.Contain("Subtotal, label, count"));
        Assert.That(thrown.ColumnType, Is.Null);
        Assert.That(thrown.ParameterType, Is.EqualTo(typeof(double?)));
    }

    [Test]
    public void Bind_WrongType_NamesParameterColumnAndBothTypes()
    {
        using var batch = Batch();
        var thrown = Assert.Throws<ColumnBindingException>(() => ColumnBinder.Bind(Parameters(("count", typeof(int))), null, batch))!;
        Assert.That(thrown.Message, Does.Contain("'count'").And.Contain("int").And.Contain("int64").And.Contain("long"));
        Assert.That(thrown.ColumnName, Is.EqualTo("count"));
        Assert.That(thrown.ColumnType, Is.EqualTo("int64"));
    }

    [Test]
    public void Bind_StringParameterOnNumericColumn_Refused()
    {
        using var batch = Batch();
        Assert.That(() => ColumnBinder.Bind(Parameters(("Subtotal", typeof(string))), null, batch), Throws.TypeOf<ColumnBindingException>());
    }

    [Test]
    public void Bind_NameMatchingTwoColumnsIgnoringCase_IsAmbiguous()
    {
        using var batch = Batches.FromRows([("Amount", typeof(double)), ("AMOUNT", typeof(double))], [[1.0, 2.0]]);
        Assert.That(() => ColumnBinder.Bind(Parameters(("amount", typeof(double))), null, batch),
            Throws.TypeOf<ColumnBindingException>().With.Message.Contains("'Amount'").And.Message.Contains("'AMOUNT'"));
    }

    [Test]
    public void Bind_BindingOfUnknownParameter_Refused()
    {
        using var batch = Batch();
        Assert.That(() => ColumnBinder.Bind(Parameters(("x", typeof(long))), new Dictionary<string, string> { ["y"] = "count" }, batch),
            Throws.TypeOf<ColumnBindingException>().With.Message.Contains("'y=count'"));
    }
}
