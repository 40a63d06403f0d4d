using System.Text;

namespace Dsl.Engine.Tests.Server;

/// <summary>
/// Malformed and hostile request bodies: broken JSON, deep nesting, huge numbers, wrong types in every member, unknown features,
/// odd strings; each generated from a seed so a failure can be replayed.
/// </summary>
internal static class FuzzedBodies
{
    private static readonly string[] Names = ["user.id", "user.total_spend", "user.name", "User.Id", "user.", ".id", "user", "nope.id", "user.nope",
        "transaction.amount", "user.transactions", "", "ü.ñ", "user.id\u0000", "user.label", new string('x', 3000)];

    private static readonly string[] Scalars = ["1", "-1", "0", "42", "1.5", "1e308", "1e400", "-1e400", "9223372036854775808", "-9223372036854775809",
        "123456789012345678901234567890", "true", "false", "null", "\"42\"", "\"\"", "\"NaN\"", "\"\\ud800\"", "\"2026-06-30T12:00:00Z\"", "[]", "{}", "[1,2]"];

    public static string Next(Random random) => random.Next(8) switch
    {
        0 => Mutate(Valid(random), random),
        1 => Nested(random.Next(10, 400), random),
        2 => Garbage(random),
        _ => Structured(random),
    };

    private static string Valid(Random random) =>
        $$"""{"inputs": {"user.id": {{random.Next(0, 5)}}}, "outputs": ["user.total_spend", "user.label"], "now": "2026-06-30T12:00:00Z"}""";

    /// <summary>A valid body with bytes cut, repeated, replaced.</summary>
    private static string Mutate(string body, Random random)
    {
        var text = new StringBuilder(body);
        for (var i = random.Next(1, 5); i > 0 && text.Length > 0; i--)
        {
            var at = random.Next(text.Length);
            switch (random.Next(3))
            {
                case 0: text.Remove(at, Math.Min(random.Next(1, 8), text.Length - at)); break;
                case 1: text.Insert(at, "{[\",:}]\\"[random.Next(8)]); break;
                default: text[at] = (char)random.Next(1, 0x3000); break;
            }
        }
        return text.ToString();
    }

    private static string Nested(int depth, Random random)
    {
        var open = random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        var inner = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        return random.Next(2) == 0 ? inner : $$"""{"inputs": {"user.id": {{inner}}}, "outputs": ["user.total_spend"]}""";
    }

    private static string Garbage(Random random)
    {
        var bytes = new char[random.Next(0, 200)];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (char)random.Next(1, 128);
        return new string(bytes);
    }

    /// <summary>A JSON object whose members have random names and values of random types.</summary>
    private static string Structured(Random random)
    {
        var members = new List<string>();
        if (random.Next(4) > 0) members.Add($"\"inputs\": {Value(random, asObject: true)}");
        if (random.Next(4) > 0) members.Add($"\"outputs\": {Value(random, asArray: true)}");
        if (random.Next(3) == 0) members.Add($"\"now\": {Pick(random, ["\"2026-06-30T12:00:00Z\"", "\"yesterday\"", "12", "null", "\"9999-12-31T23:59:59Z\""])}");
        if (random.Next(3) == 0) members.Add($"\"max_staleness\": {Pick(random, ["{\"user.total_spend\": \"5m\"}", "{\"user.total_spend\": \"-5m\"}", "{\"user.nope\": \"1s\"}", "{\"user.total_spend\": 5}", "[]", "{\"user.total_spend\": \"99999999999d\"}"])}");
        if (random.Next(6) == 0) members.Add($"\"{Pick(random, Names)}\": 1");
        return "{" + string.Join(", ", members) + "}";
    }

    private static string Value(Random random, bool asObject = false, bool asArray = false)
    {
        if (asObject && random.Next(5) > 0)
            return "{" + string.Join(", ", Enumerable.Range(0, random.Next(0, 4)).Select(_ => $"{Quote(Pick(random, Names))}: {Pick(random, Scalars)}")) + "}";
        if (asArray && random.Next(5) > 0)
            return "[" + string.Join(", ", Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(5) == 0 ? Pick(random, Scalars) : Quote(Pick(random, Names)))) + "]";
        return Pick(random, Scalars);
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static string Pick(Random random, string[] choices) => choices[random.Next(choices.Length)];
}
