using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;
using Dsl.TestSupport.Relations;
using Txns = System.Collections.Generic.IReadOnlyList<Dsl.TestSupport.Relations.Transaction>;

namespace Dsl.Lowering.Tests.Cil;

/// <summary>
/// The user's own loops over related rows (Debug IL of this assembly): foreach over each collection interface, for
/// loops by index, early returns, breaks, two loops in sequence and local functions, against the delegate on
/// generated rows; and the loops that must still fall back, with their construct.
/// </summary>
[TestFixture]
public sealed class CilInterpreterLoopRelationTests
{
    private static IEnumerable<TestCaseData> Lowered()
    {
        TestCaseData Case(string name, Delegate function) => new TestCaseData(function).SetArgDisplayNames(name);

        yield return Case("foreach IReadOnlyList sum", (Func<Txns, double>)(txns =>
        {
            var total = 0.0;
            foreach (var t in txns) total += t.Amount;
            return total;
        }));
        yield return Case("foreach IEnumerable count and max", (Func<IEnumerable<Transaction>, long>)(txns =>
        {
            long count = 0, max = long.MinValue;
            foreach (var t in txns)
            {
                if (t.Discount != null) count++;
                if (t.Cents > max) max = t.Cents;
            }

            return count * 1000 + max;
        }));
        yield return Case("foreach List struct enumerator", (Func<List<Transaction>, int>)(txns =>
        {
            var sum = 0;
            foreach (var t in txns) sum += t.Quantity;
            return sum;
        }));
        yield return Case("foreach array of rows", (Func<Transaction[], double>)(txns =>
        {
            var best = double.NegativeInfinity;
            foreach (var t in txns)
                if (t.Amount > best) best = t.Amount;
            return best;
        }));
        yield return Case("for IReadOnlyList by index", (Func<Txns, double>)(txns =>
        {
            var total = 0.0;
            for (var i = 0; i < txns.Count; i++) total += txns[i].Amount * txns[i].Quantity;
            return total;
        }));
        yield return Case("for array by index", (Func<Transaction[], int>)(txns =>
        {
            var n = 0;
            for (var i = 0; i < txns.Length; i++)
                if (txns[i].Merchant == "a") n++;
            return n;
        }));
        yield return Case("for from index 1", (Func<Txns, double>)(txns =>
        {
            var total = 0.0;
            for (var i = 1; i < txns.Count; i++) total += txns[i].Amount;
            return total;
        }));
        yield return Case("for from index 2 over array", (Func<Transaction[], long>)(txns =>
        {
            long total = 0;
            for (var i = 2; i < txns.Length; i++) total += txns[i].Cents;
            return total;
        }));
        yield return Case("foreach any", (Func<Txns, bool>)(txns =>
        {
            foreach (var t in txns)
                if (t.Amount > 100) return true;
            return false;
        }));
        yield return Case("foreach first match", (Func<Txns, double>)(txns =>
        {
            foreach (var t in txns)
                if (t.Quantity > 1) return t.Amount;
            return -1;
        }));
        yield return Case("foreach first match throwing", (Func<IEnumerable<Transaction>, int>)(txns =>
        {
            foreach (var t in txns)
                if (12 / t.Quantity > 3) return t.Quantity;
            return -1;
        }));
        yield return Case("for first match", (Func<Transaction[], long>)(txns =>
        {
            for (var i = 0; i < txns.Length; i++)
                if (txns[i].Discount is > 0) return txns[i].Id;
            return 0;
        }));
        yield return Case("break then return", (Func<Txns, bool>)(txns =>
        {
            var found = false;
            foreach (var t in txns)
            {
                if (t.Merchant == "b")
                {
                    found = true;
                    break;
                }
            }

            return found;
        }));
        yield return Case("return early while counting", (Func<Txns, int>)(txns =>
        {
            var seen = 0;
            foreach (var t in txns)
            {
                if (t.Amount < -1) return -1;
                seen++;
            }

            return seen;
        }));
        yield return Case("two loops: mean then squared deviations", (Func<Txns, double>)(txns =>
        {
            var sum = 0.0;
            foreach (var t in txns) sum += t.Amount;
            var mean = sum / txns.Count;
            var squares = 0.0;
            foreach (var t in txns) squares += (t.Amount - mean) * (t.Amount - mean);
            return squares / (txns.Count - 1);
        }));
        yield return Case("checked accumulation", (Func<Txns, long>)(txns =>
        {
            long total = 0;
            foreach (var t in txns) total = checked(total + t.Cents);
            return total;
        }));
        yield return Case("throwing step", (Func<Txns, int>)(txns =>
        {
            var total = 0;
            foreach (var t in txns) total += 60 / t.Quantity;
            return total;
        }));
        yield return Case("local function capturing", (Func<Txns, double, double>)((txns, rate) =>
        {
            var bonus = rate * 2;
            return Total() + Total();

            double Total()
            {
                var sum = 0.0;
                foreach (var t in txns) sum += t.Amount * rate + bonus;
                return sum;
            }
        }));
        yield return Case("local function per row", (Func<Txns, double, double>)((txns, floor) =>
        {
            var total = 0.0;
            foreach (var t in txns) total += Clip(t.Amount);
            return total;

            double Clip(double value) => value < floor ? floor : value;
        }));
        yield return Case("lambda capturing a parameter in a loop body", (Func<Txns, DateTime, int>)((txns, now) =>
        {
            var recent = 0;
            foreach (var t in txns)
                if (t.At > now) recent++;
            return recent + txns.Count(t => t.At <= now);
        }));
    }

    [TestCaseSource(nameof(Lowered))]
    public void Lower_LoopOverRelatedRows_MatchesDelegate(Delegate function) => RelationAssert.LowersExactly(function);

    [Test]
    public void Lower_ForeachOverEnumerator_BecomesAFoldWithoutTryFinally()
    {
        var text = RelationAssert.LowersExactly((Func<IEnumerable<Transaction>, double>)(txns =>
        {
            var total = 0.0;
            foreach (var t in txns) total += t.Amount;
            return total;
        }));
        Assert.That(text, Does.Contain("loop txns.Aggregate(0, (x, x1) => (x + x1.Amount))"));
    }

    [Test]
    public void Lower_ForFromIndexOne_SkipsOne()
    {
        var text = RelationAssert.LowersExactly((Func<Txns, double>)(txns =>
        {
            var total = 0.0;
            for (var i = 1; i < txns.Count; i++) total += txns[i].Amount;
            return total;
        }));
        Assert.That(text, Does.Contain("txns.Skip(1).Aggregate("));
    }

    [Test]
    public void Lower_TwoLoops_SecondFoldReadsTheFirstAsTheSameNode()
    {
        var ir = Lowerer.Lower((Func<Txns, double>)(txns =>
        {
            var sum = 0.0;
            foreach (var t in txns) sum += t.Amount;
            var mean = sum / txns.Count;
            var squares = 0.0;
            foreach (var t in txns) squares += (t.Amount - mean) * (t.Amount - mean);
            return squares;
        })).Ir!;
        var aggregates = AggregateNodes.In(ir.Body);

        Assert.That(aggregates.Select(a => a.Kind), Is.EquivalentTo(new[] { ListAggregateKind.Fold, ListAggregateKind.Fold, ListAggregateKind.Count }));
        var second = aggregates.Single(a => a.Kind == ListAggregateKind.Fold && AggregateNodes.In(a.Function!.Body).Count > 0);
        Assert.That(AggregateNodes.In(second.Function!.Body), Has.Some.SameAs(aggregates.Single(a => a != second && a.Kind == ListAggregateKind.Fold)));
    }

    [Test]
    public void Lower_LoopsThatCannotBeFolded_FallBackWithTheirReason()
    {
        Assert.That(LoweringAssert.FallsBack((Func<Txns, double>)(txns =>
        {
            var total = 0.0;
            for (var i = txns.Count - 1; i >= 0; i--) total = total * 0.5 + txns[i].Amount;
            return total;
        }), "loop").Message, Does.Contain("loop"));
        Assert.That(LoweringAssert.FallsBack((Func<Txns, double>)(txns =>
        {
            var total = 0.0;
            for (var i = 0; i < txns.Count - 1; i++) total += txns[i + 1].Amount - txns[i].Amount;
            return total;
        }), "loop").Message, Does.Contain("step up by one to the sequence's length"));
        Assert.That(LoweringAssert.FallsBack((Func<Txns, int, double>)((txns, start) =>
        {
            var total = 0.0;
            for (var i = start; i < txns.Count; i++) total += txns[i].Amount;
            return total;
        }), "loop").Message, Does.Contain("depends on the input"));
        Assert.That(LoweringAssert.FallsBack((Func<Txns, int>)(txns =>
        {
            for (var i = 0; i < txns.Count; i++)
                if (txns[i].Amount > 1) return i;
            return -1;
        }), "loop").Message, Does.Contain("index"));
        Assert.That(LoweringAssert.FallsBack((Func<Txns, double>)(txns =>
        {
            var total = 0.0;
            foreach (var t in txns)
            {
                if (t.Amount < 0) break;
                total += t.Amount;
            }

            return total;
        }), "loop").Message, Does.Contain("accumulates"));
        Assert.That(LoweringAssert.FallsBack((Func<Txns, double>)(txns =>
        {
            var total = 0.0;
            foreach (var t in txns)
            {
                var share = 100 / t.Quantity;
                if (t.Amount > 1) return share;
                total += t.Amount;
            }

            return total;
        }), "loop").Message, Does.Contain("may throw"));
    }

    [Test]
    public void Lower_LambdaReadingAVariableWrittenAfterIt_FallsBack()
    {
        LoweringAssert.FallsBack((Func<Txns, double, int>)((txns, limit) =>
        {
            var query = txns.Where(t => t.Amount > limit);
            limit = 0;
            return query.Count();
        }), "closure-write");
    }
}
