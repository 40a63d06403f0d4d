using System.Text;
using Dsl.Streams.Sources;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Streams.Tests;

/// <summary>
/// The replay envelope's scanner (<see cref="ReplayEnvelope.TryScan"/>) against its <see cref="System.Text.Json.Utf8JsonReader"/>
/// path: on generated lines — headers of every kind, times of every form, data of every kind, unknown members, corrupted
/// bytes — the batch gets exactly the same messages, headers, times and error records either way.
/// </summary>
public sealed class EnvelopeScannerTests
{
    [Test]
    public void The_scanner_and_the_reader_add_the_same_messages() => ScannerAndReaderAgree(Gen.ArrayOf(Line(), 20), resumes: false);

    [Test]
    public void Lines_resumed_after_the_headers_of_the_line_before_are_added_as_the_reader_adds_them()
    {
        // Lines drawn from a few header objects, usually first, so that one line's start is often the next one's.
        var lines = from pool in Gen.ArrayOf(Headers(), 2) from batch in Gen.ArrayOf(Line(pool), 30) select batch;
        ScannerAndReaderAgree(lines, resumes: true);
    }

    private static void ScannerAndReaderAgree(Gen<byte[][]> batches, bool resumes)
    {
        var scanned = 0;
        var total = 0;
        var resumed = 0;
        var probe = new MessageBatch();
        Prop.ForAll(Arb.From(batches), lines =>
        {
            var fast = new MessageBatch();
            var reader = new MessageBatch();
            var scratch = new byte[16];
            var prefix = resumes ? new EnvelopePrefix() : null;
            for (var i = 0; i < lines.Length; i++)
            {
                var (count, at) = (0, 0);
                if (prefix is not null && prefix.TryResume(lines[i], new (int, int, int, int)[EnvelopePrefix.MaxHeaders], ref count, ref at)) resumed++;
                ReplayEnvelope.Add(fast, lines[i], i + 1, ref scratch, prefix);
                ReplayEnvelope.AddWithReader(reader, lines[i], i + 1, ref scratch);
                probe.Clear();
                total++;
                if (ReplayEnvelope.TryScan(probe, lines[i], i + 1)) scanned++;
            }
            Assert.That(fast.Count, Is.EqualTo(reader.Count));
            for (var m = 0; m < fast.Count; m++)
            {
                var line = Encoding.UTF8.GetString(lines[(int)fast.Position(m) - 1]);
                Assert.That(fast.Position(m), Is.EqualTo(reader.Position(m)), line);
                Assert.That(fast.Problem(m), Is.EqualTo(reader.Problem(m)), line);
                Assert.That(fast.Time(m), Is.EqualTo(reader.Time(m)), line);
                Assert.That(fast.Data(m).ToArray(), Is.EqualTo(reader.Data(m).ToArray()), line);
                Assert.That(fast.HeaderBytes(m).ToArray(), Is.EqualTo(reader.HeaderBytes(m).ToArray()), line);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000).WithQuietOnSuccess(true));
        TestContext.Out.WriteLine($"{scanned:N0} of {total:N0} generated lines read by the scanner, {resumed:N0} resumed after the headers");
        Assert.That(scanned, Is.GreaterThan(total / 5), "the generated lines reach the scanner's path");
        Assert.That(scanned, Is.LessThan(total * 9 / 10), "the generated lines reach the reader's path");
        if (resumes) Assert.That(resumed, Is.GreaterThan(total / 20), "the generated lines resume after the headers of the line before");
    }

    [Test]
    public void The_sample_envelope_is_read_by_the_scanner()
    {
        var line = Encoding.UTF8.GetBytes(Samples.SampleStream.EnvelopeLine(7, Streams.Now));
        Assert.That(ReplayEnvelope.TryScan(new MessageBatch(), line, 1), Is.True);
    }

    private static readonly string[] s_headerNames = ["X-MessageType", "x-messagetype", "X-\\u0041", "é", "", "data", "time"];
    private static readonly string[] s_headerValues = ["\"Customer\"", "\"\"", "\"日本\"", "\"esc\\\"aped\"", "1", "null", "true", "{\"a\":\"b\"}", "[\"c\"]", "\"\\u0041\""];

    /// <summary>An envelope line: headers, a time and data in some order (data usually last), with unknown members, sometimes corrupted.</summary>
    private static Gen<byte[]> Line(string[]? headerPool = null) =>
        from headers in Gen.Frequency((6, headerPool is null ? Headers() : Gen.Elements(headerPool)), (1, Gen.Elements("null", "\"X\"", "[]", "{}")))
        from time in Gen.Frequency((6, JsonScannerTests.Timestamp()), (1, Gen.Elements("null", "\"2026-06-30T12:00:00\\u005A\"", "1", "\"soon\"", "{}")))
        from data in Gen.Frequency((8, JsonScannerTests.Message().Select(Encoding.UTF8.GetString)), (1, Gen.Elements("\"text\"", "\"a\\\"b\"", "\"\\udc00\"", "12", "null", "[1]", "{")))
        from shuffled in Gen.Shuffle([$"\"headers\":{headers}", $"\"time\":{time}", "\"other\":{\"X-Other\":\"1\"}", "\"list\":[1,2]"])
        from headersFirst in headerPool is null ? Gen.Constant(false) : Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from gap in Gen.Frequency((4, Gen.Constant("")), (1, Gen.Elements(" ", "\n ")))
        let parts = headersFirst ? shuffled.OrderBy(p => p.StartsWith("\"headers\"", StringComparison.Ordinal) ? 0 : 1).Select((p, i) => i == 1 ? gap + p : p).ToArray() : shuffled
        from keep in Gen.ArrayOf(Gen.Frequency((5, Gen.Constant(true)), (1, Gen.Constant(false))), 4)
        from dataFirst in Gen.Frequency((8, Gen.Constant(false)), (1, Gen.Constant(true)))
        from dataName in Gen.Frequency((12, Gen.Constant("data")), (1, Gen.Elements("d\\u0061ta", "Data")))
        from space in headerPool is null ? Gen.Elements("", " ", "\t", " \r") : Gen.Frequency((6, Gen.Constant("")), (1, Gen.Elements(" ", "\t", " \r")))
        from mutation in Gen.Frequency((5, Gen.Constant(0)), (1, Gen.Choose(1, 8)))
        from position in Gen.Choose(0, 1000)
        from value in Gen.Choose(0, 255)
        let members = parts.Where((_, i) => keep[i]).ToList()
        let all = dataFirst ? members.Prepend($"\"{dataName}\":{data}") : members.Append($"\"{dataName}\":{data}")
        select JsonScannerTests.Mutate(Encoding.UTF8.GetBytes(space + "{" + string.Join("," + space, all) + "}" + space), mutation, position, value);

    private static Gen<string> Headers() =>
        from count in Gen.Frequency((6, Gen.Choose(0, 3)), (1, Gen.Choose(15, 18)))
        from names in Gen.ArrayOf(Gen.Frequency((6, Gen.Constant("X-MessageType")), (2, Gen.Elements(s_headerNames))), count)
        from values in Gen.ArrayOf(Gen.Frequency((6, Gen.Constant("\"Customer\"")), (2, Gen.Elements(s_headerValues))), count)
        select "{" + string.Join(",", names.Zip(values, (n, v) => $"\"{n}\":{v}")) + "}";
}
