using Dsl.Lowering.Tests.Support;
using Dsl.TestSupport.Relations;
using NUnit.Framework;
using Txns = System.Collections.Generic.IReadOnlyList<Dsl.TestSupport.Relations.Transaction>;

namespace Dsl.Lowering.Tests.Intrinsics;

/// <summary>
/// LINQ over related rows from the CIL front end (lambdas of this assembly, Debug IL): every operator and overload the
/// aggregate IR takes, against the delegate on generated lists of transactions.
/// </summary>
[TestFixture]
internal sealed class EnumerableIntrinsicsRelationTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, Delegate function) => new TestCaseData(function).SetArgDisplayNames(name);

        // Sum over every selector type LINQ has.
        yield return Case("Sum double", (Func<Txns, double>)(txns => txns.Sum(t => t.Amount)));
        yield return Case("Sum double?", (Func<Txns, double?>)(txns => txns.Sum(t => t.Discount)));
        yield return Case("Sum int", (Func<Txns, int>)(txns => txns.Sum(t => t.Quantity)));
        yield return Case("Sum int?", (Func<Txns, int?>)(txns => txns.Sum(t => (int?)t.Quantity)));
        yield return Case("Sum long", (Func<Txns, long>)(txns => txns.Sum(t => t.Cents)));
        yield return Case("Sum long?", (Func<Txns, long?>)(txns => txns.Sum(t => t.Cents > 0 ? t.Cents : (long?)null)));
        yield return Case("Sum float", (Func<Txns, float>)(txns => txns.Sum(t => t.Weight)));
        yield return Case("Sum float?", (Func<Txns, float?>)(txns => txns.Sum(t => (float?)t.Weight)));
        yield return Case("Sum decimal", (Func<Txns, decimal>)(txns => txns.Sum(t => t.Price ?? 1m)));
        yield return Case("Sum decimal?", (Func<Txns, decimal?>)(txns => txns.Sum(t => t.Price)));

        // Average over every selector type.
        yield return Case("Average double", (Func<Txns, double>)(txns => txns.Average(t => t.Amount)));
        yield return Case("Average double?", (Func<Txns, double?>)(txns => txns.Average(t => t.Discount)));
        yield return Case("Average int", (Func<Txns, double>)(txns => txns.Average(t => t.Quantity)));
        yield return Case("Average int?", (Func<Txns, double?>)(txns => txns.Average(t => t.Quantity > 0 ? t.Quantity : (int?)null)));
        yield return Case("Average long", (Func<Txns, double>)(txns => txns.Average(t => t.Cents)));
        yield return Case("Average long?", (Func<Txns, double?>)(txns => txns.Average(t => (long?)t.Cents)));
        yield return Case("Average float", (Func<Txns, float>)(txns => txns.Average(t => t.Weight)));
        yield return Case("Average float?", (Func<Txns, float?>)(txns => txns.Average(t => (float?)t.Weight)));
        yield return Case("Average decimal?", (Func<Txns, decimal?>)(txns => txns.Average(t => t.Price)));

        // Min and Max.
        yield return Case("Min double", (Func<Txns, double>)(txns => txns.Min(t => t.Amount)));
        yield return Case("Max double", (Func<Txns, double>)(txns => txns.Max(t => t.Amount)));
        yield return Case("Min double?", (Func<Txns, double?>)(txns => txns.Min(t => t.Discount)));
        yield return Case("Max double?", (Func<Txns, double?>)(txns => txns.Max(t => t.Discount)));
        yield return Case("Min float", (Func<Txns, float>)(txns => txns.Min(t => t.Weight)));
        yield return Case("Max int", (Func<Txns, int>)(txns => txns.Max(t => t.Quantity)));
        yield return Case("Min long", (Func<Txns, long>)(txns => txns.Min(t => t.Cents)));
        yield return Case("Max decimal?", (Func<Txns, decimal?>)(txns => txns.Max(t => t.Price)));
        yield return Case("Max DateTime", (Func<Txns, DateTime>)(txns => txns.Max(t => t.At)));
        yield return Case("Min DateTime?", (Func<Txns, DateTime?>)(txns => txns.Min(t => t.Discount > 0 ? t.At : (DateTime?)null)));

        // Selectors that are null for every row (or almost): sums give 0, averages and extremes null.
        yield return Case("Sum all null", (Func<Txns, double?>)(txns => txns.Sum(t => t.Merchant == "zz" ? t.Discount : null)));
        yield return Case("Average all null", (Func<Txns, double?>)(txns => txns.Average(t => t.Merchant == "zz" ? t.Discount : null)));
        yield return Case("Min all null", (Func<Txns, int?>)(txns => txns.Min(t => t.Quantity > 1000 ? t.Quantity : (int?)null)));
        yield return Case("Max mostly null", (Func<Txns, decimal?>)(txns => txns.Max(t => t.Merchant == "é" ? t.Price : null)));
        yield return Case("MinBy all null keys", (Func<Txns, long?>)(txns => txns.MinBy(t => t.Merchant == "zz" ? t.Discount : null)?.Id));

        // Counting, quantifiers, membership.
        yield return Case("Count", (Func<Txns, int>)(txns => txns.Count()));
        yield return Case("Count property", (Func<Txns, int>)(txns => txns.Count));
        yield return Case("Count predicate", (Func<Txns, int>)(txns => txns.Count(t => t.Amount > 1)));
        yield return Case("LongCount predicate", (Func<Txns, long>)(txns => txns.LongCount(t => t.Discount != null)));
        yield return Case("Any", (Func<Txns, bool>)(txns => txns.Any()));
        yield return Case("Any predicate", (Func<Txns, bool>)(txns => txns.Any(t => t.Merchant == "a")));
        yield return Case("All predicate", (Func<Txns, bool>)(txns => txns.All(t => t.Quantity >= 0)));
        yield return Case("Contains", (Func<Txns, bool>)(txns => txns.Select(t => t.Merchant).Contains("A")));
        yield return Case("Count throwing predicate", (Func<Txns, int>)(txns => txns.Count(t => 12 / t.Quantity > 3)));

        // First and Last with their overloads, and member reads on the row found.
        yield return Case("First", (Func<Txns, double>)(txns => txns.First().Amount));
        yield return Case("First predicate", (Func<Txns, double>)(txns => txns.First(t => t.Amount > 1).Amount));
        yield return Case("FirstOrDefault predicate ?.", (Func<Txns, double?>)(txns => txns.FirstOrDefault(t => t.Amount > 1)?.Amount));
        yield return Case("Last", (Func<Txns, long>)(txns => txns.Last().Id));
        yield return Case("Last predicate", (Func<Txns, double>)(txns => txns.Last(t => t.Quantity > 0).Amount));
        yield return Case("LastOrDefault predicate ?.", (Func<Txns, double?>)(txns => txns.LastOrDefault(t => t.Discount > 0)?.Discount));
        yield return Case("Last throwing predicate", (Func<Txns, int>)(txns => txns.Last(t => 100 / t.Quantity > 3).Quantity));
        yield return Case("Where Last throwing", (Func<Txns, int>)(txns => txns.Where(t => 100 / t.Quantity > 3).Last().Quantity));
        yield return Case("Where Select Last", (Func<Txns, int>)(txns => txns.Where(t => t.Amount > 0).Select(t => 10 / t.Quantity).Last()));
        yield return Case("Select Last", (Func<Txns, int>)(txns => txns.Select(t => 10 / t.Quantity).Last()));
        yield return Case("Select Where LastOrDefault", (Func<Txns, int>)(txns => txns.Select(t => 10 / t.Quantity).Where(q => q > 1).LastOrDefault()));
        yield return Case("FirstOrDefault default value", (Func<Txns, double>)(txns => txns.Select(t => t.Amount).FirstOrDefault(a => a > 2, -1.0)));
        yield return Case("LastOrDefault default value", (Func<Txns, int>)(txns => txns.Select(t => t.Quantity).LastOrDefault(-7)));
        yield return Case("Select Any throwing", (Func<Txns, bool>)(txns => txns.Select(t => 10 / t.Quantity).Any()));

        // MinBy and MaxBy: the row chosen, ties, NaN and null keys.
        yield return Case("MaxBy At !.Amount", (Func<Txns, double>)(txns => txns.MaxBy(t => t.At)!.Amount));
        yield return Case("MinBy Amount ?.Id", (Func<Txns, long?>)(txns => txns.MinBy(t => t.Amount)?.Id));
        yield return Case("MaxBy Amount row", (Func<Txns, Transaction?>)(txns => txns.MaxBy(t => t.Amount)));
        yield return Case("MinBy nullable key", (Func<Txns, Transaction?>)(txns => txns.MinBy(t => t.Discount)));
        yield return Case("MaxBy int key", (Func<Txns, long?>)(txns => txns.MaxBy(t => t.Quantity)?.Id));
        yield return Case("MaxBy over values", (Func<Txns, double>)(txns => txns.Select(t => t.Amount).MaxBy(a => -a)));

        // Distinct counts with EqualityComparer<T>.Default.
        yield return Case("Distinct doubles", (Func<Txns, int>)(txns => txns.Select(t => t.Amount).Distinct().Count()));
        yield return Case("Distinct nullable", (Func<Txns, int>)(txns => txns.Select(t => t.Discount).Distinct().Count()));
        yield return Case("Distinct floats", (Func<Txns, int>)(txns => txns.Where(t => t.Quantity > 0).Select(t => t.Weight).Distinct().Count()));
        yield return Case("Distinct strings", (Func<Txns, int>)(txns => txns.Select(t => t.Merchant).Distinct().Count()));

        // Chains: several Wheres, Select before the aggregate, Skip, DefaultIfEmpty, Aggregate.
        yield return Case("Where Where Sum", (Func<Txns, long>)(txns => txns.Where(t => t.Amount > 0).Where(t => t.Quantity < 3).Sum(t => t.Cents)));
        yield return Case("Select Where Max", (Func<Txns, double>)(txns => txns.Select(t => t.Amount * 2).Where(a => a < 10).Max()));
        yield return Case("Skip Sum", (Func<Txns, double>)(txns => txns.Skip(1).Sum(t => t.Amount)));
        yield return Case("Skip Last predicate", (Func<Txns, int>)(txns => txns.Skip(2).Last(t => 6 / t.Quantity > 1).Quantity));
        yield return Case("DefaultIfEmpty Max", (Func<Txns, double>)(txns => txns.Select(t => t.Amount).DefaultIfEmpty().Max()));
        yield return Case("DefaultIfEmpty value Average", (Func<Txns, double>)(txns => txns.Where(t => t.Quantity > 0).Select(t => t.Amount).DefaultIfEmpty(-1.0).Average()));
        yield return Case("Aggregate seed", (Func<Txns, double>)(txns => txns.Aggregate(0.0, (acc, t) => acc * 0.5 + t.Amount)));

        // Aggregates with scalar logic, other parameters, captured values, the computed property and the public field.
        yield return Case("mean with guard", (Func<Txns, double>)(txns => txns.Sum(t => t.Amount) / Math.Max(1, txns.Count())));
        yield return Case("window from now", (Func<Txns, DateTime, double>)((txns, now) => txns.Where(t => t.At > now - TimeSpan.FromDays(30)).Sum(t => t.Amount)));
        yield return Case("computed property", (Func<Txns, double>)(txns => txns.Sum(t => t.Net)));
        yield return Case("public field", (Func<Txns, int>)(txns => txns.Count(t => t.Flags == 2)));
        yield return Case("sum of squared deviations", (Func<Txns, double>)(txns =>
        {
            var mean = txns.Average(t => t.Amount);
            return txns.Sum(t => (t.Amount - mean) * (t.Amount - mean));
        }));
    }

    [TestCaseSource(nameof(Cases))]
    public void Lower_LinqOverRelatedRows_MatchesDelegate(Delegate function) => RelationAssert.LowersExactly(function);

    [Test]
    public void Lower_OtherSequenceTypes_MatchDelegate()
    {
        RelationAssert.LowersExactly((Func<IEnumerable<Transaction>, double>)(txns => txns.Where(t => t.Amount > 0).Sum(t => t.Amount)));
        RelationAssert.LowersExactly((Func<IEnumerable<Transaction>, int>)(txns => txns.Last(t => 100 / t.Quantity > 3).Quantity));
        RelationAssert.LowersExactly((Func<List<Transaction>, double>)(txns => txns.Average(t => t.Amount)));
        RelationAssert.LowersExactly((Func<Transaction[], double?>)(txns => txns.MaxBy(t => t.At)?.Discount));
        RelationAssert.LowersExactly((Func<IList<Transaction>, bool>)(txns => txns.Any(t => t.Price > 1m)));
        RelationAssert.LowersExactly((Func<IEnumerable<Transaction>, bool>)(txns => txns.Select(t => 10 / t.Quantity).Any()));
    }

    [Test]
    public void Lower_DirectSumAndAverageOfValues_DependOnTheCollectionAndMatch()
    {
        RelationAssert.LowersExactly((Func<IReadOnlyList<int>, int>)(xs => xs.Sum()));
        RelationAssert.LowersExactly((Func<IReadOnlyList<long>, double>)(xs => xs.Average()));
        RelationAssert.LowersExactly((Func<IEnumerable<double>, double>)(xs => xs.Average()));
    }
}
