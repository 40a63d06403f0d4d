using System.Text;
using System.Text.Json;
using Dsl.Streams.Parsing;

namespace Dsl.Streams.Tests;

/// <summary>
/// The fast readings of message values (<c>…Z</c> timestamps, short decimals) give exactly what System.Text.Json gives, and
/// decline everything they do not read.
/// </summary>
public sealed class FastReadingTests
{
    [Test]
    public void The_fast_path_agrees_with_System_Text_Json_on_generated_and_edge_timestamps()
    {
        var random = new Random(20260630);
        var cases = new List<string>
        {
            "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "2026-06-30T24:00:00Z",
            "2026-06-30T23:60:00Z", "2026-06-30T23:59:60Z", "0000-01-01T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
            "2026-06-00T00:00:00Z", "2026-06-31T00:00:00Z", "2026-06-30T01:00:00.Z", "2026-06-30T01:00:00.12345678Z", "2026-06-30t01:00:00Z",
            "2026-06-30 01:00:00Z", "2026-06-30T01:00:00z", "2026-06-30T01:00:00", "2026-06-30T01:00:00+02:00", "+2026-06-30T01:00:00Z",
            "1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "0004-02-29T00:00:00Z", "0400-02-29T23:59:59Z", "1999-12-31T23:59:59.9999999Z",
            "2026-6-30T01:00:00Z", "2026-06-30T01:00:0aZ", "2026-06-30T01:00:00.1Z", "2026-06-30T01:00:00.000001Z", "\u0662026-06-30T01:00:00Z",
        };
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder($"{random.Next(0, 10_000):D4}-{random.Next(0, 14):D2}-{random.Next(0, 33):D2}T{random.Next(0, 26):D2}:{random.Next(0, 62):D2}:{random.Next(0, 62):D2}");
            var digits = random.Next(-1, 9);
            if (digits >= 0) text.Append('.').Append(string.Concat(Enumerable.Range(0, digits).Select(_ => (char)('0' + random.Next(10)))));
            text.Append(random.Next(8) == 0 ? "+01:30" : "Z");
            if (random.Next(20) == 0) text[random.Next(text.Length)] = (char)random.Next(32, 127);
            cases.Add(text.ToString());
        }
        var fast = 0;
        foreach (var text in cases)
        {
            var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(text));
            var reader = new Utf8JsonReader(json);
            reader.Read();
            var general = reader.TryGetDateTimeOffset(out var withOffset) ? withOffset.UtcTicks : reader.TryGetDateTime(out var time) ? time.Ticks : (long?)null;
            if (UtcTimestamps.TryParseZulu(Encoding.UTF8.GetBytes(text), out var ticks))
            {
                fast++;
                Assert.That(ticks, Is.EqualTo(general), text);
            }
            Assert.That(UtcTimestamps.TryRead(ref reader, out var read) ? read : (long?)null, Is.EqualTo(general), text);
        }
        Assert.That(fast, Is.GreaterThan(1000), "the generated cases reach the fast path");
    }

    [Test]
    public void Short_decimals_agree_with_System_Text_Json_bit_for_bit()
    {
        var random = new Random(42);
        var cases = new List<string> { "0", "-0", "0.0", "-0.0", "12.5", "0.1", "0.3", "999999999999999", "9999999999999999", "-123456789012345",
            "0.000000000000001", "0.0000000000000001", "1e3", "1.5E-3", "123456789.123456", "1234567890.12345", "0.5", "-0.000001" };
        for (var i = 0; i < 50_000; i++)
        {
            var integer = random.Next(4) == 0 ? "0" : random.NextInt64(1, long.MaxValue).ToString()[..random.Next(1, 17)];
            var fraction = random.Next(3) == 0 ? "" : "." + string.Concat(Enumerable.Range(0, random.Next(1, 17)).Select(_ => (char)('0' + random.Next(10))));
            cases.Add((random.Next(2) == 0 ? "-" : "") + integer + fraction);
        }
        var fast = 0;
        foreach (var text in cases)
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
            Assert.That(reader.Read(), Is.True, text);
            Assert.That(reader.TryGetDouble(out var general), Is.True, text);
            if (!ExactDecimals.TryParse(reader.ValueSpan, out var value)) continue;
            fast++;
            Assert.That(BitConverter.DoubleToInt64Bits(value), Is.EqualTo(BitConverter.DoubleToInt64Bits(general)), text);
        }
        Assert.That(fast, Is.GreaterThan(10_000), "the generated cases reach the fast path");
    }
}
