using Dsl.Runtime;
using NUnit.Framework;

namespace Dsl.Fuzz.Differential;

/// <summary>
/// The string members the UTF-8 kernels answer without a string per row (LastIndexOf, s[i], Split(c).Length,
/// PadLeft/PadRight, string.Join, string.CompareOrdinal, a switch over string constants), through the public API:
/// each resolver compiles, its kernel uses the UTF-8 operation, and every path agrees with the delegate on rows with
/// nulls, empty, non-ASCII, emoji (surrogate pairs) and look-alike case characters.
/// </summary>
[TestFixture]
public sealed class StringMemberTests
{
    private static readonly string?[] s_values =
    [
        null, "", "a", "ab", "a@b", "@", "x.y+tag@gmail.com", "🙂", "a🙂b@🙂", "İstanbul", "\u212Aelvin", "ſ", "ß@ß", " pad ", "日本語@例え.jp",
        "A", "Z9", "..", "a\0", "\0", "abc", "abd", "🙂🙂", "\uE000",
    ];

    public static int Category(string s) => s switch
    {
        "a" or "ab" => 1,
        "gmail.com" or "yahoo.com" or "outlook.com" or "hotmail.com" => 2,
        "🙂" or "ß@ß" or "İstanbul" => 3,
        "abc" or "abd" or "Z9" => 4,
        _ => s.Length,
    };

    private static IEnumerable<TestCaseData> Resolvers()
    {
        yield return Case("LastIndexOf", (Func<string, int>)(s => s.LastIndexOf('@') * 100 + s.LastIndexOf("🙂", StringComparison.Ordinal)), "LastIndexOf");
        yield return Case("s[i]", (Func<string, int>)(s => s.Length > 1 && char.IsUpper(s[0]) ? 1 : s.Length > 2 && char.IsSurrogate(s[1]) ? 2 : s[0]), "CharAt");
        yield return Case("Split(c).Length", (Func<string, int>)(s => s.Split('@').Length), "SplitCount");
        yield return Case("PadLeft/PadRight", (Func<string, string>)(s => s.PadLeft(6, '.') + s.PadRight(3)), "PadLeft");
        yield return Case("string.Join", (Func<string, string, string>)((s, t) => string.Join(", ", new[] { s, "x", t })), "Concat");
        yield return Case("CompareOrdinal", (Func<string, string, int>)((s, t) => string.CompareOrdinal(s, t)), "CompareOrdinal");
        // The C# compiler of SDK 10.0.4xx dispatches this switch on the length and one character (Utf8Ops.Length, CharAt),
        // earlier ones on a hash of the string (Utf8Ops.StringHash); either way each case ends in an ordinal comparison.
        yield return Case("switch", (Func<string, int>)Category, "Equal");
    }

    private static TestCaseData Case(string name, Delegate resolver, string operation) => new TestCaseData(resolver, operation).SetArgDisplayNames(name);

    [TestCaseSource(nameof(Resolvers))]
    public void Resolver_CompiledOverUtf8_AgreesWithTheDelegateOnEveryPath(Delegate resolver, string operation)
    {
        var function = FunctionCompiler.Compile(resolver);
        Assert.That(function.Mode, Is.EqualTo(ExecutionMode.Compiled), function.FallbackReason);
        Assert.That(function.KernelText, Does.Contain("Utf8Ops." + operation).And.Not.Contain("ToStringOrNull"));
        var arity = resolver.Method.GetParameters().Length;
        var random = new Random(5);
        for (int run = 0; run < 4; run++)
        {
            var rows = Enumerable.Range(0, 80).Select(_ => Enumerable.Range(0, arity).Select(_ => (object?)s_values[random.Next(s_values.Length)]).ToArray()).ToArray();
            Assert.That(DifferentialRunner.Check(resolver, rows), Is.Null, $"run {run}");
        }
    }
}
