using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests.Arrays;

public class Decimal128ArrayTests
{
    private static readonly Decimal128Type s_money = new(12, 2);

    [Test]
    public void Builder_AppendDecimals_ReadsBackAtTheTypeScale()
    {
        using var builder = new Decimal128Array.Builder(s_money);
        using var array = builder.Append(1.5m).AppendNull().Append(-0.01m).Append(1234567890.12m).Append((decimal?)null).Build();

        Assert.That(array.Length, Is.EqualTo(5));
        Assert.That(array.NullCount, Is.EqualTo(2));
        Assert.That(array.ToArray(), Is.EqualTo(new decimal?[] { 1.5m, null, -0.01m, 1234567890.12m, null }));
        Assert.That(array.GetValue(0)!.Value.Scale, Is.EqualTo(2), "1.5 reads back as 1.50");
        Assert.That(array.UnscaledValues.ToArray(), Is.EqualTo(new Int128[] { 150, 0, -1, 123456789012, 0 }));
        Assert.That(array.GetUnscaledValue(1), Is.Null);
    }

    [TestCase("1.234")]
    [TestCase("10000000000")]
    public void Builder_ValueNotExactInTheType_ThrowsAndAppendsNothing(string text)
    {
        using var builder = new Decimal128Array.Builder(s_money);

        Assert.That(() => builder.Append(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture)), Throws.TypeOf<OverflowException>().With.Message.Contains(text));
        Assert.That(builder.Length, Is.Zero);
    }

    [Test]
    public void Builder_AppendUnscaledBeyondPrecision_Throws()
    {
        using var builder = new Decimal128Array.Builder(new Decimal128Type(3, 0));

        Assert.That(() => builder.AppendUnscaled(1000), Throws.TypeOf<OverflowException>().With.Message.Contains("decimal128(3, 0)"));
        Assert.That(builder.AppendUnscaled(-999).Length, Is.EqualTo(1));
    }

    [Test]
    public void GetValue_ValueWithoutDecimalCounterpart_ThrowsOverflow()
    {
        using var builder = new Decimal128Array.Builder(new Decimal128Type(38, 0));
        using var array = builder.AppendUnscaled(Int128.Parse("99999999999999999999999999999999999999")).Append(7m).Build();

        Assert.That(() => array.GetValue(0), Throws.TypeOf<OverflowException>());
        Assert.That(array.GetValue(1), Is.EqualTo(7m));
    }

    [Test]
    public void Slice_OddOffset_ReadsTheSlicedRows()
    {
        using var builder = new Decimal128Array.Builder(s_money);
        using var array = builder.AppendRange([0.01m, 0.02m, null, 0.04m, 0.05m]).Build();
        using var slice = (Decimal128Array)array.Slice(1, 3);

        Assert.That(slice.ToArray(), Is.EqualTo(new decimal?[] { 0.02m, null, 0.04m }));
        Assert.That(slice.UnscaledValues.ToArray(), Is.EqualTo(new Int128[] { 2, 0, 4 }));
    }

    [Test]
    public void Constructor_ValuesBufferTooShort_Throws()
    {
        using var builder = new Decimal128Array.Builder(s_money);
        using var array = builder.Append(1m).Build();
        var data = new ArrayData(s_money, 2, 0, 0, [Dsl.Arrow.Memory.ArrowBuffer.Empty, array.Data.Buffer(1)]);

        Assert.That(() => new Decimal128Array(data), Throws.ArgumentException.With.Message.Contains("values"));
    }

    [Test]
    public void Factory_Decimal128Data_BuildsDecimal128Array()
    {
        using var builder = new Decimal128Array.Builder(s_money);
        using var array = builder.Append(2m).Build();

        using var built = ArrowArrayFactory.BuildArray(array.Data.Slice(0, 1));

        Assert.That(built, Is.InstanceOf<Decimal128Array>());
    }
}
