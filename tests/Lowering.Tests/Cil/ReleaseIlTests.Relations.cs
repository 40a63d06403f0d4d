using Dsl.Lowering.Tests.Support;
using Dsl.TestSupport.Roslyn;

namespace Dsl.Lowering.Tests.Cil;

/// <summary>
/// Resolvers over related rows compiled by Roslyn in Debug and in Release (different caching of lambdas, locals,
/// branch shapes and loop layouts), lowered and checked against the delegate on generated rows.
/// </summary>
[TestFixture]
public sealed class ReleaseIlRelationTests
{
    private const string Helpers = """
        private static double AmountOf(Transaction t) => t.Amount;
        private static bool IsLarge(Transaction t) => t.Amount > 2;
        """;

    private static IEnumerable<TestCaseData> Resolvers()
    {
        var cases = new (string Name, string Type, string Lambda)[]
        {
            ("cached static lambdas", "Func<IReadOnlyList<Transaction>, double>", "txns => txns.Where(t => t.Amount > 0).Sum(t => t.Amount)"),
            ("method groups", "Func<IReadOnlyList<Transaction>, double>", "txns => txns.Where(IsLarge).Sum(AmountOf)"),
            ("count predicate", "Func<IReadOnlyList<Transaction>, int>", "txns => txns.Count(t => t.Quantity > 1)"),
            ("capturing lambda", "Func<IReadOnlyList<Transaction>, DateTime, double>", "(txns, now) => txns.Where(t => t.At > now.AddDays(-30)).Sum(t => t.Amount)"),
            ("captured local mean", "Func<IReadOnlyList<Transaction>, double>",
                "txns => { var mean = txns.Average(t => t.Amount); return txns.Sum(t => (t.Amount - mean) * (t.Amount - mean)); }"),
            ("max by then member", "Func<IReadOnlyList<Transaction>, double>", "txns => txns.MaxBy(t => t.At)!.Amount"),
            ("min by null-conditional", "Func<IReadOnlyList<Transaction>, double?>", "txns => txns.MinBy(t => t.Amount)?.Discount"),
            ("first or default ?.", "Func<IReadOnlyList<Transaction>, double>", "txns => txns.FirstOrDefault(t => t.Merchant == \"a\")?.Amount ?? -1"),
            ("distinct count", "Func<IReadOnlyList<Transaction>, int>", "txns => txns.Select(t => t.Merchant).Distinct().Count()"),
            ("sum over count", "Func<IReadOnlyList<Transaction>, double>", "txns => txns.Sum(t => t.Amount) / Math.Max(1, txns.Count())"),
            ("foreach IReadOnlyList", "Func<IReadOnlyList<Transaction>, double>", "txns => { var s = 0.0; foreach (var t in txns) s += t.Amount; return s; }"),
            ("foreach IEnumerable", "Func<IEnumerable<Transaction>, long>", "txns => { long s = 0; foreach (var t in txns) if (t.Discount != null) s += t.Cents; return s; }"),
            ("foreach List", "Func<List<Transaction>, int>", "txns => { var n = 0; foreach (var t in txns) n += t.Quantity; return n; }"),
            ("foreach array", "Func<Transaction[], double>", "txns => { var m = double.NegativeInfinity; foreach (var t in txns) if (t.Amount > m) m = t.Amount; return m; }"),
            ("for by index", "Func<IReadOnlyList<Transaction>, double>", "txns => { var s = 0.0; for (var i = 0; i < txns.Count; i++) s += txns[i].Amount; return s; }"),
            ("for from one", "Func<Transaction[], double>", "txns => { var s = 0.0; for (var i = 1; i < txns.Length; i++) s += txns[i].Amount; return s; }"),
            ("foreach any", "Func<IReadOnlyList<Transaction>, bool>", "txns => { foreach (var t in txns) if (t.Amount > 100) return true; return false; }"),
            ("foreach first match", "Func<IEnumerable<Transaction>, double>", "txns => { foreach (var t in txns) if (t.Quantity > 1) return t.Amount; return -1; }"),
            ("two loops", "Func<IReadOnlyList<Transaction>, double>",
                "txns => { var s = 0.0; foreach (var t in txns) s += t.Amount; var mean = s / txns.Count; var q = 0.0; foreach (var t in txns) q += (t.Amount - mean) * (t.Amount - mean); return q; }"),
            ("local function capturing", "Func<IReadOnlyList<Transaction>, double, double>",
                "(txns, rate) => { var bonus = rate * 2; return Total(); double Total() { var s = 0.0; foreach (var t in txns) s += t.Amount * rate + bonus; return s; } }"),
            ("last with throwing predicate", "Func<IReadOnlyList<Transaction>, int>", "txns => txns.Last(t => 100 / t.Quantity > 3).Quantity"),
        };
        foreach (var (name, type, lambda) in cases)
        {
            yield return new TestCaseData(type, lambda, true).SetArgDisplayNames(name, "Release");
            yield return new TestCaseData(type, lambda, false).SetArgDisplayNames(name, "Debug");
        }
    }

    [TestCaseSource(nameof(Resolvers))]
    public void Lower_RelationResolverFromRoslyn_MatchesDelegate(string delegateType, string lambda, bool optimize) =>
        RelationAssert.LowersExactly(CSharpLambda.Compile(delegateType, lambda, optimize, Helpers).Function);
}
