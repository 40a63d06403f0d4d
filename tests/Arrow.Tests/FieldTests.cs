using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests;

public class FieldTests
{
    [Test]
    public void Equals_SameNameTypeNullabilityAndMetadata_IsTrue()
    {
        var left = new Field("x", Int64Type.Default, true, new Dictionary<string, string> { ["k"] = "v" });
        var right = new Field("x", Int64Type.Default, true, new Dictionary<string, string> { ["k"] = "v" });

        Assert.That(left, Is.EqualTo(right));
        Assert.That(left.GetHashCode(), Is.EqualTo(right.GetHashCode()));
        Assert.That(left, Is.Not.EqualTo(new Field("x", Int64Type.Default, false)));
        Assert.That(left, Is.Not.EqualTo(new Field("x", Int64Type.Default, true)));
        Assert.That(left, Is.Not.EqualTo(new Field("X", Int64Type.Default, true, left.Metadata)));
    }

    [Test]
    public void Metadata_IsCopied_SoLaterChangesToTheSourceDoNotLeak()
    {
        var source = new Dictionary<string, string> { ["k"] = "v" };
        var field = new Field("x", Int64Type.Default, true, source);
        source["k"] = "changed";

        Assert.That(field.Metadata!["k"], Is.EqualTo("v"));
    }

    [Test]
    public void Constructor_NullArguments_Throw()
    {
        Assert.That(() => new Field(null!, Int64Type.Default, true), Throws.ArgumentNullException);
        Assert.That(() => new Field("x", null!, true), Throws.ArgumentNullException);
    }
}
