using Dsl.Engine.Store;

namespace Dsl.Engine.Tests.Store;

public sealed class StoredValueCodecTests
{
    private static readonly DateTime s_writtenAt = new(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);

    private static IEnumerable<object?> Values() =>
    [
        null, 0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue, 1.0 / 3,
        0L, long.MinValue, long.MaxValue, int.MinValue, int.MaxValue, float.NaN, -0.0f, float.MaxValue, true, false,
        "", "Zoë 🙂", "a\0b", new string('x', 10_000), DateTime.MinValue.ToUniversalTime(), new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc).AddTicks(1),
        DateTime.MaxValue, 0m, -1.5000m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, TimeSpan.MinValue, TimeSpan.FromTicks(-1),
        DateOnly.MinValue, DateOnly.MaxValue, new DateOnly(2024, 2, 29),
    ];

    [TestCaseSource(nameof(Values))]
    public void EncodeDecode_RoundTripsValueTypeAndWriteTime(object? value)
    {
        var decoded = StoredValueCodec.Decode(StoredValueCodec.Encode(value, s_writtenAt));

        Assert.That(decoded, Is.Not.Null);
        Assert.That(decoded!.WrittenAt, Is.EqualTo(s_writtenAt));
        Assert.That(decoded.WrittenAt.Kind, Is.EqualTo(DateTimeKind.Utc));
        Assert.That(decoded.Value?.GetType(), Is.EqualTo(value?.GetType()));
        switch (value)
        {
            case double d: Assert.That(BitConverter.DoubleToInt64Bits((double)decoded.Value!), Is.EqualTo(BitConverter.DoubleToInt64Bits(d))); break;
            case float f: Assert.That(BitConverter.SingleToInt32Bits((float)decoded.Value!), Is.EqualTo(BitConverter.SingleToInt32Bits(f))); break;
            case decimal m: Assert.That(decimal.GetBits((decimal)decoded.Value!), Is.EqualTo(decimal.GetBits(m)), "the scale is kept too"); break;
            default: Assert.That(decoded.Value, Is.EqualTo(value)); break;
        }
    }

    [Test]
    public void Encode_IsCompact()
    {
        Assert.That(StoredValueCodec.Encode(42.0, s_writtenAt), Has.Length.EqualTo(18));
        Assert.That(StoredValueCodec.Encode(true, s_writtenAt), Has.Length.EqualTo(11));
        Assert.That(StoredValueCodec.Encode(null, s_writtenAt), Has.Length.EqualTo(10));
    }

    [Test]
    public void Encode_LocalWriteTime_IsStoredAsUtc()
    {
        var local = new DateTime(2024, 1, 1, 12, 0, 0, DateTimeKind.Local);

        Assert.That(StoredValueCodec.Decode(StoredValueCodec.Encode(1L, local))!.WrittenAt, Is.EqualTo(local.ToUniversalTime()));
    }

    [Test]
    public void Encode_UnsupportedType_NamesIt()
    {
        var error = Assert.Throws<ArgumentException>(() => StoredValueCodec.Encode(new Uri("http://x"), s_writtenAt));

        Assert.That(error!.Message, Does.Contain("got Uri"));
    }

    [TestCase(new byte[0])]
    [TestCase(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3 })]
    [TestCase(new byte[] { 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [TestCase(new byte[] { 1, 99, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [TestCase(new byte[] { 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 2 })]
    [TestCase(new byte[] { 1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe })]
    [TestCase(new byte[] { 1, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [TestCase(new byte[] { 1, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff })]
    public void Decode_BytesItDidNotWrite_IsNothingStored(byte[] bytes)
    {
        Assert.That(StoredValueCodec.Decode(bytes), Is.Null);
    }
}
