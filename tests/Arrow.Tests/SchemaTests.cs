using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests;

public class SchemaTests
{
    private static readonly Schema s_schema = new(
        [new Field("a", Int32Type.Default, true), new Field("b", StringType.Default, false), new Field("a", DoubleType.Default, true)],
        new Dictionary<string, string> { ["origin"] = "test" });

    [Test]
    public void GetFieldIndex_DuplicateName_ReturnsFirst() => Assert.That(s_schema.GetFieldIndex("a"), Is.EqualTo(0));

    [Test]
    public void GetFieldIndex_Absent_ReturnsMinusOne() => Assert.That(s_schema.GetFieldIndex("zz"), Is.EqualTo(-1));

    [Test]
    public void GetFieldByName_PresentAndAbsent_ReturnsFieldOrNull()
    {
        Assert.That(s_schema.GetFieldByName("b")!.DataType, Is.SameAs(StringType.Default));
        Assert.That(s_schema.GetFieldByName("zz"), Is.Null);
    }

    [Test]
    public void FieldsListAndMetadata_KeepOrderAndPairs()
    {
        Assert.That(s_schema.FieldsList.Select(f => f.Name), Is.EqualTo(new[] { "a", "b", "a" }));
        Assert.That(s_schema.Metadata!["origin"], Is.EqualTo("test"));
    }

    [Test]
    public void GetFieldByIndex_OutOfRange_Throws() =>
        Assert.That(() => s_schema.GetFieldByIndex(3), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void Equals_SameFieldsAndMetadata_IsTrue()
    {
        var copy = new Schema(s_schema.FieldsList, s_schema.Metadata);
        Assert.That(copy, Is.EqualTo(s_schema));
        Assert.That(new Schema(s_schema.FieldsList), Is.Not.EqualTo(s_schema));
    }
}
