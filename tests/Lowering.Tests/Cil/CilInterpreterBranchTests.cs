using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;

namespace Dsl.Lowering.Tests.Cil;

[TestFixture]
public sealed class CilInterpreterBranchTests
{
    public enum Tier
    {
        Bronze,
        Silver,
        Gold,
    }

    [Test]
    public void Lower_IfElseAndEarlyReturns_MergeIntoConditionals()
    {
        LoweringAssert.LowersExactly((Func<int, int>)(x =>
        {
            if (x > 10) return 1;
            if (x < -10) return -1;
            return 0;
        }));
        LoweringAssert.LowersExactly((Func<double, double, double>)((a, b) =>
        {
            double r;
            if (a > b) r = a - b;
            else r = b - a;
            return r * 2;
        }));
        LoweringAssert.LowersExactly((Func<int, int, bool, int>)((a, b, flag) => flag ? a : b));
    }

    [Test]
    public void Lower_SequentialIfs_GrowTheTreeLinearly()
    {
        Func<int, int> chain = x =>
        {
            var y = x;
            if (y > 1) y += 1;
            if (y > 2) y += 2;
            if (y > 3) y += 3;
            if (y > 4) y += 4;
            if (y > 5) y += 5;
            if (y > 6) y += 6;
            if (y > 7) y += 7;
            if (y > 8) y += 8;
            if (y > 9) y += 9;
            if (y > 10) y += 10;
            if (y > 11) y += 11;
            if (y > 12) y += 12;
            if (y > 13) y += 13;
            if (y > 14) y += 14;
            if (y > 15) y += 15;
            if (y > 16) y += 16;
            return y;
        };
        var ir = LoweringAssert.LowersExactly(chain);
        Assert.That(IrMetrics.CountDistinctNodes(ir.Body), Is.LessThan(16 * 8));
    }

    [Test]
    public void Lower_ShortCircuitOperators_EvaluateTheRightOnlyWhenNeeded()
    {
        LoweringAssert.LowersExactly((Func<int, int, bool>)((a, b) => b != 0 && a / b > 1));
        LoweringAssert.LowersExactly((Func<int, int, bool>)((a, b) => b == 0 || a % b == 0));
        LoweringAssert.LowersExactly((Func<bool, bool, bool, bool>)((a, b, c) => a && !b || c));
        LoweringAssert.LowersExactly((Func<bool, bool, bool>)((a, b) => a & b | !a ^ b));
    }

    [Test]
    public void Lower_SwitchStatementOverIntegers_BecomesNestedConditionals()
    {
        LoweringAssert.LowersExactly((Func<int, string>)(x =>
        {
            switch (x)
            {
                case 0: return "zero";
                case 1: return "one";
                case 2: return "two";
                case 3:
                case 4: return "few";
                case 100: return "hundred";
                default: return "many";
            }
        }));
    }

    [Test]
    public void Lower_SwitchExpressionOverEnum_MatchesDelegate()
    {
        LoweringAssert.LowersExactly((Func<Tier, double, double>)((tier, amount) => tier switch
        {
            Tier.Bronze => amount,
            Tier.Silver => amount * 0.9,
            Tier.Gold => amount * 0.8,
            _ => -1,
        }));
        LoweringAssert.LowersExactly((Func<int, Tier>)(points => points > 100 ? Tier.Gold : points > 10 ? Tier.Silver : Tier.Bronze));
    }

    [Test]
    public void Lower_RelationalPatterns_MatchDelegate()
    {
        LoweringAssert.LowersExactly((Func<int, bool>)(x => x is > 0 and < 10));
        LoweringAssert.LowersExactly((Func<int, bool>)(x => x is < 0 or > 100 or 50));
        LoweringAssert.LowersExactly((Func<double, bool>)(x => x is not (>= 0.0 and <= 1.0)));
        LoweringAssert.LowersExactly((Func<int, string>)(x => x switch
        {
            < 0 => "negative",
            0 => "zero",
            >= 1 and <= 9 => "digit",
            _ => "large",
        }));
    }

    [Test]
    public void Lower_ConstantTripCountLoop_Unrolls()
    {
        var ir = LoweringAssert.LowersExactly((Func<int, int>)(x =>
        {
            var total = 0;
            for (var i = 0; i < 5; i++) total += x * i;
            return total;
        }));
        Assert.That(IrPrinter.Print(ir), Does.Not.Contain("i <"));
        LoweringAssert.LowersExactly((Func<double, double>)(x =>
        {
            var power = 1.0;
            for (var i = 0; i < 4; i++)
                if (x > i) power *= x;
            return power;
        }));
    }

    [Test]
    public void Lower_TuplesAndDeconstruction_MatchDelegate()
    {
        LoweringAssert.LowersExactly((Func<int, int, int>)((a, b) =>
        {
            var (low, high) = a < b ? (a, b) : (b, a);
            return high - low;
        }));
        LoweringAssert.LowersExactly((Func<double, double, (double, double)>)((a, b) => (a + b, a - b)));
    }

    [Test]
    public void Lower_MergedBoolAndIntSlots_ReconcileTypes()
    {
        LoweringAssert.LowersExactly((Func<int, int, bool>)((a, b) =>
        {
            var ok = true;
            if (a > b) ok = a - b < 10;
            return ok;
        }));
    }

    [Test]
    public void Lower_DivisionGuardedByBranch_IsNotEvaluatedOnTheOtherPath()
    {
        var ir = LoweringAssert.LowersExactly((Func<int, int, int>)((a, b) =>
        {
            if (b == 0) return 0;
            return a / b;
        }));
        Assert.That(ir.Body, Is.InstanceOf<ConditionalExpression>());
    }
}
