using System.Globalization;
using System.Text;
using Apache.Arrow;
using Dsl.Engine;
using Dsl.Streams.Definition;
using Dsl.Streams.Parsing;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Streams.Tests;

/// <summary>A nested record of <see cref="ProbeMessage"/>.</summary>
public sealed record ProbeInner(string Text, double? Ratio, DateTime? At, bool Flag);

/// <summary>A message with every member type, nullable and not, and nested records nullable and not.</summary>
public sealed record ProbeMessage(int Count, long Id, float Weight, double Amount, bool Flag, string Name, DateTime When,
    int? MaybeCount, long? MaybeId, float? MaybeWeight, double? MaybeAmount, bool? MaybeFlag, string? MaybeName, DateTime? MaybeWhen,
    ProbeInner Inner, ProbeInner? Extra);

/// <summary>The entity of the probe resolver.</summary>
public sealed class Probe
{
    [PrimaryKey]
    public long Id { get; set; }
}

/// <summary>
/// The scanner (<see cref="JsonScanner"/>, <see cref="JsonObjectReader.TryScan"/>) against <see cref="System.Text.Json.Utf8JsonReader"/>:
/// on generated messages — nulls, missing and unknown members, names spelled every way, escapes, non-ASCII, numbers at the
/// edges of int, long, float, double and decimal, exponents, -0, timestamps of every form, nested records, truncated and
/// corrupted bytes — the columns and the errors of the scanner-first path are exactly those of the reader alone.
/// </summary>
public sealed class JsonScannerTests
{
    private static readonly Lazy<StreamResolver> s_probe = new(() => StreamResolver.For<ProbeMessage>("probe", "probe").Output((Probe p) => p.Id, m => m.Id).Build());

    private static readonly string[] s_names =
        ["Count", "Id", "Weight", "Amount", "Flag", "Name", "When", "MaybeCount", "MaybeId", "MaybeWeight", "MaybeAmount", "MaybeFlag", "MaybeName", "MaybeWhen", "Inner", "Extra"];

    private static readonly string[] s_numbers =
    [
        "0", "-0", "1", "-1", "7", "42", "2147483647", "-2147483648", "2147483648", "-2147483649", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "-9223372036854775809", "999999999999999999", "-999999999999999999", "1000000000000000000", "18446744073709551616",
        "0.0", "-0.0", "1.0", "1.5", "-2.25", "0.1", "0.2", "0.3", "12.5", "3.14159", "0.30000000000000004", "1e3", "1E3", "1e+3", "1e-3", "-1E-7",
        "2.5e1", "1.7976931348623157e308", "1.7976931348623159e308", "1e309", "-1e309", "5e-324", "2e-324", "1e-400", "4.9406564584124654e-324",
        "3.4028235e38", "3.4028236e38", "3.5e38", "1.4e-45", "1e-46", "16777216", "16777217", "0.1234567", "1234567", "12345678", "0.0000000001",
        "79228162514264337593543950335", "-79228162514264337593543950335", "79228162514264337593543950336", "0.0000000000000000000000000001",
        "123456789012345678901234567890", "999999999999999", "9999999999999999", "0.000000000000001", "123456789.123456", "1.00000000000000000001",
        "01", "-", "1.", ".5", "+1", "1e", "1e+", "--1", "0x10", "NaN", "Infinity", "-Infinity", "1_000",
    ];

    private static readonly string[] s_strings =
    [
        "", "a", "Customer 7", "c7@Example0.com", "é", "日本語", "😀", "naïve café", "tab\\there", "quote\\\"d", "back\\\\slash", "\\u00e9", "\\u0041",
        "\\ud83d\\ude00", "\\ud800", "\\udc00x", "line\\nbreak", "\\/", "\\x", "\\u12", "ctrl\u0001", "\u007f", "a\\u0000b",
        "2026-06-30T12:00:00Z", "2026-06-30T12:00:00.1234567Z", "2026-06-30T12:00:00.12345678Z", "2026-06-30T12:00:00+02:00", "2026-06-30T12:00:00",
        "2026-06-30", "2026-02-30T00:00:00Z", "2024-02-29T23:59:59.9Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "2026-06-30T24:00:00Z",
        "2026-06-30T12:00:00\\u005A", "2026-06-30T12:00:00z", "2026-06-30 12:00:00Z", "2026-06-30T12:00:00.Z", "2026-06-30T12:00:00-00:00",
    ];

    private static readonly string[] s_others = ["true", "false", "null", "{}", "[]", "[1,2,{\"a\":[null]}]", "{\"a\":{\"b\":{\"c\":\"d\"}}}", "[[[[[[]]]]]]", "tru", "nul", "True"];

    [Test]
    public void The_scanner_and_the_reader_give_the_same_columns_and_errors()
    {
        var batches = Gen.Choose(1, 40).SelectMany(count => Gen.ArrayOf(Message(), count));
        var scanned = 0;
        var total = 0;
        Prop.ForAll(Arb.From(batches), messages =>
        {
            var (fast, fastProblems) = Read(messages, scannerFirst: true);
            var (reader, readerProblems) = Read(messages, scannerFirst: false);
            using (fast)
            using (reader)
            {
                for (var i = 0; i < messages.Length; i++)
                    Assert.That(fastProblems[i], Is.EqualTo(readerProblems[i]), () => $"message {i}: {Show(messages[i])}");
                AssertSameColumns(fast, reader, messages);
            }
            var probe = new MessageColumnsReader(s_probe.Value);
            foreach (var message in messages)
            {
                probe.Begin(1);
                total++;
                if (probe.TryScanJson(message)) scanned++;
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000).WithQuietOnSuccess(true));
        TestContext.Out.WriteLine($"{scanned:N0} of {total:N0} generated messages read by the scanner");
        Assert.That(scanned, Is.GreaterThan(total / 5), "the generated messages reach the scanner's path");
        Assert.That(scanned, Is.LessThan(total * 9 / 10), "the generated messages reach the reader's path");
    }

    [Test]
    public void The_sample_message_and_common_shapes_are_read_by_the_scanner()
    {
        var reader = new MessageColumnsReader(Samples.SampleStream.Resolver());
        reader.Begin(1);
        Assert.That(reader.TryScanJson(Encoding.UTF8.GetBytes(Samples.SampleStream.Json(12345))), Is.True);
        var probe = new MessageColumnsReader(s_probe.Value);
        probe.Begin(1);
        var json = """
            { "count": -12, "id": 9007199254740993, "weight": 0.5, "amount": -0.0, "flag": true, "name": "Zoë", "when": "2026-06-30T12:00:00.5Z",
              "maybe_count": null, "unknown": [1, {"x": [true, null]}, "y"], "inner": {"text": "", "flag": false}, "extra": null }
            """;
        Assert.That(probe.TryScanJson(Encoding.UTF8.GetBytes(json)), Is.True);
    }

    [Test]
    public void The_vectorized_string_stop_is_the_first_quote_escape_control_or_non_ASCII_byte()
    {
        byte[] stops = [.. Enumerable.Range(0, 32).Select(b => (byte)b), (byte)'"', (byte)'\\', .. Enumerable.Range(0x80, 0x80).Select(b => (byte)b)];
        var plain = Gen.Elements("abcdefghij XYZ-@.:{}0123456789"u8.ToArray());
        var anyByte = Gen.Choose(0, 255).Select(b => (byte)b);
        var text = Gen.Choose(0, 130).SelectMany(length => Gen.ArrayOf(Gen.Frequency((40, plain), (1, anyByte), (1, Gen.Elements(stops))), length));
        Prop.ForAll(Arb.From(text), bytes =>
        {
            for (var start = 0; start <= Math.Min(bytes.Length, 40); start++)
                Assert.That(JsonScanner.IndexOfAsciiStop(bytes.AsSpan(start)), Is.EqualTo(bytes.AsSpan(start).IndexOfAny(stops)), () => Convert.ToHexString(bytes) + $" from {start}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000).WithQuietOnSuccess(true));
    }

    /// <summary>Reads a batch of messages both ways: the batch built and each message's problem.</summary>
    private static (RecordBatch Batch, string?[] Problems) Read(byte[][] messages, bool scannerFirst)
    {
        var reader = new MessageColumnsReader(s_probe.Value);
        reader.Begin(messages.Length);
        var problems = messages.Select(m => scannerFirst ? reader.ReadJson(m) : reader.ReadJsonWithReader(m)).ToArray();
        return (reader.Build(), problems);
    }

    private static void AssertSameColumns(RecordBatch fast, RecordBatch reader, byte[][] messages)
    {
        Assert.That(fast.Length, Is.EqualTo(reader.Length));
        for (var c = 0; c < fast.ColumnCount; c++)
        {
            var name = fast.Schema.GetFieldByIndex(c).Name;
            for (var r = 0; r < fast.Length; r++)
                Assert.That(Cell(fast.Column(c), r), Is.EqualTo(Cell(reader.Column(c), r)), () => $"{name} row {r} ({messages.Length} messages)");
        }
    }

    /// <summary>A cell, with floating-point values as their bits (so -0 and 0 differ) and strings as their bytes.</summary>
    private static object? Cell(IArrowArray column, int row) => column switch
    {
        _ when column.IsNull(row) => null,
        DoubleArray d => BitConverter.DoubleToInt64Bits(d.GetValue(row)!.Value),
        FloatArray f => BitConverter.SingleToInt32Bits(f.GetValue(row)!.Value),
        StringArray s => Convert.ToHexString(s.GetBytes(row)),
        _ => Engine.Values.ArrowCells.Read(column, row),
    };

    private static string Show(byte[] message) => Encoding.UTF8.GetString(message) + " [" + Convert.ToHexString(message) + "]";

    private static readonly (string Name, string Kind, bool Nullable)[] s_members =
    [
        ("Count", "int", false), ("Id", "long", false), ("Weight", "float", false), ("Amount", "double", false), ("Flag", "bool", false),
        ("Name", "string", false), ("When", "time", false), ("MaybeCount", "int", true), ("MaybeId", "long", true), ("MaybeWeight", "float", true),
        ("MaybeAmount", "double", true), ("MaybeFlag", "bool", true), ("MaybeName", "string", true), ("MaybeWhen", "time", true),
        ("Inner", "inner", false), ("Extra", "inner", true),
    ];

    private static readonly (string Name, string Kind, bool Nullable)[] s_innerMembers =
        [("Text", "string", false), ("Ratio", "double", true), ("At", "time", true), ("Flag", "bool", false)];

    /// <summary>
    /// A message: mostly the probe's members each with a value of its kind (edge values included), spelled any way; sometimes
    /// members left out, repeated, out of order or of another kind, unknown members mixed in, and the bytes corrupted.
    /// </summary>
    internal static Gen<byte[]> Message() =>
        from mode in Gen.Frequency((2, Gen.Constant(Mode.Tame)), (2, Gen.Constant(Mode.Edgy)), (1, Gen.Constant(Mode.Wild)))
        from body in Object(s_members, mode, depth: 0)
        from mutation in mode == Mode.Tame ? Gen.Constant(0) : Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(1, 8)))
        from position in Gen.Choose(0, 1000)
        from value in Gen.Choose(0, 255)
        select Mutate(Encoding.UTF8.GetBytes(body), mutation, position, value);

    /// <summary>How a generated message is: common values only, edge values too, or members missing, repeated, unknown and of other kinds.</summary>
    private enum Mode
    {
        Tame,
        Edgy,
        Wild,
    }

    private static Gen<string> Object((string Name, string Kind, bool Nullable)[] members, Mode mode, int depth) =>
        from wild in Gen.Constant(mode == Mode.Wild)
        from parts in Gen.CollectToArray(members, m => Member(m.Name, m.Kind, m.Nullable, mode, depth))
        from unknown in Gen.ArrayOf(Gen.Elements("unknown", "other_thing", "Texts", "").Zip(AnyValue(depth)).Select(x => $"\"{x.Item1}\":{x.Item2}"), wild ? 2 : 0)
        from repeated in Gen.Elements(parts)
        from ordered in wild ? Gen.Shuffle(parts.Concat(unknown).Append(repeated)).Select(p => p.ToArray()) : Gen.Constant(parts)
        from space in Gen.Elements("", " ", "\n", "\t ", "\r\n")
        select "{" + space + string.Join("," + space, ordered.Where(p => p.Length > 0)) + space + "}";

    /// <summary>A member: its name spelled some way and a value of its kind; in a wild object, sometimes left out (empty) or of another kind.</summary>
    private static Gen<string> Member(string name, string kind, bool nullable, Mode mode, int depth) =>
        from wild in Gen.Constant(mode == Mode.Wild)
        from present in wild ? Gen.Frequency((6, Gen.Constant(true)), (1, Gen.Constant(false))) : Gen.Constant(true)
        from spelling in wild ? Gen.Choose(0, 9) : Gen.Elements(0, 3, 9)
        from value in Gen.Frequency((wild ? 3 : 20, ValueOf(kind, mode, depth)), (nullable ? 3 : wild ? 1 : 0, Gen.Constant("null")), (wild ? 1 : 0, AnyValue(depth)))
        select present ? $"\"{Spell(name, spelling)}\":{value}" : "";

    private static Gen<string> ValueOf(string kind, Mode mode, int depth) => mode == Mode.Tame ? TameValueOf(kind, depth) : kind switch
    {
        "int" or "long" => Gen.Frequency((12, Gen.Choose(-1_000_000_000, 1_000_000_000).Select(i => i.ToString(CultureInfo.InvariantCulture))), (3, Gen.Elements(s_numbers))),
        "float" => Gen.Frequency((8, Decimal(maxDigits: 7)), (2, Decimal(maxDigits: 20)), (1, Gen.Elements(s_numbers)), (1, RandomDouble())),
        "double" => Gen.Frequency((8, Decimal(maxDigits: 15)), (2, Decimal(maxDigits: 20)), (1, Gen.Elements(s_numbers)), (1, RandomDouble())),
        "bool" => Gen.Elements("true", "false"),
        "string" => Gen.Frequency((4, Gen.Elements("", "a", "Customer 7", "c7@Example0.com", "Zoë", "日本語", "😀")), (1, Gen.Elements(s_strings))).Select(s => $"\"{s}\""),
        "time" => Gen.Frequency((12, Timestamp()), (1, Gen.Elements(s_strings).Select(s => $"\"{s}\""))),
        _ => depth < 3 ? Object(s_innerMembers, mode, depth + 1) : Gen.Constant("{}"),
    };

    /// <summary>Common values: whole numbers, short decimals, plain strings, <c>…Z</c> timestamps.</summary>
    private static Gen<string> TameValueOf(string kind, int depth) => kind switch
    {
        "int" or "long" => Gen.Choose(-1_000_000_000, 1_000_000_000).Select(i => i.ToString(CultureInfo.InvariantCulture)),
        "float" => Decimal(maxDigits: 7, maxPoint: 6),
        "double" => Decimal(maxDigits: 15, maxPoint: 12),
        "bool" => Gen.Elements("true", "false"),
        "string" => Gen.Elements("", "a", "Customer 7", "c7@Example0.com", "Zoë", "日本語", "😀", "\u007f").Select(s => $"\"{s}\""),
        "time" => Timestamp(tame: true),
        _ => Object(s_innerMembers, Mode.Tame, depth + 1),
    };

    private static Gen<string> AnyValue(int depth) =>
        Gen.Frequency((3, Gen.Elements(s_numbers)), (3, Gen.Elements(s_strings).Select(s => $"\"{s}\"")), (3, Gen.Elements(s_others)), (1, ValueOf("inner", Mode.Edgy, depth)));

    /// <summary>A decimal of 1 to <paramref name="maxDigits"/> digits with 0 to 12 of them after the point, either sign.</summary>
    private static Gen<string> Decimal(int maxDigits, int maxPoint = 12) =>
        from digits in Gen.ArrayOf(Gen.Choose(0, 9), maxDigits)
        from length in Gen.Choose(1, maxDigits)
        from point in Gen.Choose(0, Math.Min(length, maxPoint))
        from negative in Gen.Elements(false, true)
        select Format(string.Concat(digits.Take(length)), point, negative);

    private static string Format(string digits, int point, bool negative)
    {
        // JSON's integer part has no leading zeros: "0.5", "12.5", never "012.5".
        var integer = digits[..^point].TrimStart('0');
        return (negative ? "-" : "") + (integer.Length == 0 ? "0" : integer) + (point == 0 ? "" : "." + digits[^point..]);
    }

    /// <summary>A double of any magnitude (from random bits), in its shortest round-trip form.</summary>
    private static Gen<string> RandomDouble() =>
        from high in Gen.Choose(0, int.MaxValue)
        from low in Gen.Choose(0, int.MaxValue)
        let value = BitConverter.Int64BitsToDouble(((long)high << 33) ^ ((long)low << 2) ^ low)
        select double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "0.5";

    /// <summary>A UTC timestamp of the short form, or with an offset, some with fields out of range.</summary>
    internal static Gen<string> Timestamp(bool tame = false) =>
        from year in Gen.Choose(1, 9999)
        from month in tame ? Gen.Choose(1, 12) : Gen.Frequency((12, Gen.Choose(1, 12)), (1, Gen.Constant(13)))
        from day in tame ? Gen.Choose(1, 28) : Gen.Frequency((12, Gen.Choose(1, 28)), (1, Gen.Choose(29, 32)))
        from hour in tame ? Gen.Choose(0, 23) : Gen.Frequency((12, Gen.Choose(0, 23)), (1, Gen.Constant(24)))
        from minute in Gen.Choose(0, 59)
        from fraction in tame ? Gen.Elements(-1, 1, 2, 3, 4, 5, 6, 7) : Gen.Choose(-1, 8)
        from zone in tame ? Gen.Constant("Z") : Gen.Elements("Z", "Z", "Z", "+01:30", "")
        select $"\"{year:D4}-{month:D2}-{day:D2}T{hour:D2}:{minute:D2}:07{(fraction < 0 ? "" : "." + new string('3', fraction))}{zone}\"";

    /// <summary>A name as given, in snake case, lower or upper case, with an escape, with a stray underscore or space.</summary>
    private static string Spell(string name, int spelling) => spelling switch
    {
        0 or 1 or 2 => name,
        3 or 4 => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())),
        5 => name.ToUpperInvariant(),
        6 => "\\u00" + ((int)name[0]).ToString("x2", CultureInfo.InvariantCulture) + name[1..],
        7 => "_" + name,
        8 => name + " ",
        _ => name.ToLowerInvariant(),
    };

    /// <summary>Corrupts a message: cut short, a byte replaced, inserted or removed, a byte-order mark, trailing text, a trailing comma.</summary>
    internal static byte[] Mutate(byte[] bytes, int mutation, int where, int value)
    {
        var at = bytes.Length == 0 ? 0 : where % bytes.Length;
        return mutation switch
        {
            1 => bytes[..at],
            2 => [.. bytes[..at], (byte)value, .. bytes[(at + 1)..]],
            3 => [.. bytes[..at], (byte)value, .. bytes[at..]],
            4 => [.. bytes[..at], .. bytes[(at + 1)..]],
            5 => [0xEF, 0xBB, 0xBF, .. bytes],
            6 => [.. bytes, .. " x"u8],
            7 => [.. bytes[..^1], (byte)',', (byte)'}'],
            8 => [.. bytes, .. " \r\n\t"u8],
            _ => bytes,
        };
    }
}
