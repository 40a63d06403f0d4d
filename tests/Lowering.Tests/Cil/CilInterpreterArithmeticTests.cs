using Dsl.Lowering.Tests.Support;

namespace Dsl.Lowering.Tests.Cil;

[TestFixture]
public sealed class CilInterpreterArithmeticTests
{
    [Test]
    public void Lower_IntegerOperators_MatchDelegateIncludingDivisionFailures()
    {
        LoweringAssert.LowersExactly((Func<int, int, int>)((a, b) => a + b * 3 - a / b));
        LoweringAssert.LowersExactly((Func<int, int, int>)((a, b) => a % b));
        LoweringAssert.LowersExactly((Func<long, long, long>)((a, b) => a / b + (a ^ b) - (a & 7) + (b | 1)));
        LoweringAssert.LowersExactly((Func<uint, uint, uint>)((a, b) => a / b + a % b));
        LoweringAssert.LowersExactly((Func<ulong, ulong, bool>)((a, b) => a > b));
    }

    [Test]
    public void Lower_CheckedArithmetic_ThrowsOverflowLikeTheDelegate()
    {
        LoweringAssert.LowersExactly((Func<int, int, int>)((a, b) => checked(a + b)));
        LoweringAssert.LowersExactly((Func<int, int, int>)((a, b) => checked(a * b - 1)));
        LoweringAssert.LowersExactly((Func<uint, uint, uint>)((a, b) => checked(a - b)));
        LoweringAssert.LowersExactly((Func<long, int>)(a => checked((int)a)));
        LoweringAssert.LowersExactly((Func<double, int>)(a => checked((int)a)));
    }

    [Test]
    public void Lower_UncheckedArithmetic_WrapsAround()
    {
        LoweringAssert.LowersExactly((Func<int, int>)(a => unchecked(a * 1_000_003 + int.MaxValue)));
        LoweringAssert.LowersExactly((Func<int, int>)(a => -a));
        LoweringAssert.LowersExactly((Func<int, int>)(a => ~a));
    }

    [Test]
    public void Lower_Shifts_MaskTheCountLikeCSharp()
    {
        LoweringAssert.LowersExactly((Func<int, int, int>)((a, n) => a << n));
        LoweringAssert.LowersExactly((Func<int, int, int>)((a, n) => a >> n));
        LoweringAssert.LowersExactly((Func<uint, int, uint>)((a, n) => a >> n));
        LoweringAssert.LowersExactly((Func<long, int, long>)((a, n) => a << n));
        LoweringAssert.LowersExactly((Func<int, int>)(a => (int)((uint)a >> 3)));
    }

    [Test]
    public void Lower_FloatingOperators_AreIeeeExact()
    {
        LoweringAssert.LowersExactly((Func<double, double, double>)((a, b) => a / b + a % b - a * b));
        LoweringAssert.LowersExactly((Func<float, float, float>)((a, b) => a * b + a / b));
        LoweringAssert.LowersExactly((Func<double, double, bool>)((a, b) => a < b || a == b));
        LoweringAssert.LowersExactly((Func<double, double, bool>)((a, b) => !(a >= b)));
        LoweringAssert.LowersExactly((Func<double, double, bool>)((a, b) => a != b));
        LoweringAssert.LowersExactly((Func<double, double>)(a => -a));
    }

    [Test]
    public void Lower_Conversions_MatchCSharpCasts()
    {
        LoweringAssert.LowersExactly((Func<double, int>)(a => (int)a));
        LoweringAssert.LowersExactly((Func<double, long>)(a => (long)a));
        LoweringAssert.LowersExactly((Func<double, uint>)(a => (uint)a));
        LoweringAssert.LowersExactly((Func<long, int>)(a => (int)a));
        LoweringAssert.LowersExactly((Func<int, long>)(a => a));
        LoweringAssert.LowersExactly((Func<int, ulong>)(a => (ulong)a));
        LoweringAssert.LowersExactly((Func<uint, long>)(a => a));
        LoweringAssert.LowersExactly((Func<uint, double>)(a => a));
        LoweringAssert.LowersExactly((Func<ulong, double>)(a => a));
        LoweringAssert.LowersExactly((Func<ulong, float>)(a => a));
        LoweringAssert.LowersExactly((Func<int, float>)(a => a));
        LoweringAssert.LowersExactly((Func<float, double>)(a => a));
        LoweringAssert.LowersExactly((Func<double, float>)(a => (float)a));
        LoweringAssert.LowersExactly((Func<int, byte>)(a => (byte)a));
        LoweringAssert.LowersExactly((Func<int, sbyte>)(a => (sbyte)a));
        LoweringAssert.LowersExactly((Func<int, char>)(a => (char)a));
        LoweringAssert.LowersExactly((Func<int, short>)(a => checked((short)a)));
        LoweringAssert.LowersExactly((Func<uint, int>)(a => checked((int)a)));
    }

    [Test]
    public void Lower_SmallIntegerTypes_WidenToIntLikeCSharp()
    {
        LoweringAssert.LowersExactly((Func<byte, byte, int>)((a, b) => a + b));
        LoweringAssert.LowersExactly((Func<byte, byte, byte>)((a, b) => (byte)(a * b)));
        LoweringAssert.LowersExactly((Func<short, sbyte, int>)((a, b) => a * b));
        LoweringAssert.LowersExactly((Func<char, int>)(c => c - 'a'));
        LoweringAssert.LowersExactly((Func<char, bool>)(c => c >= 'a' && c <= 'z'));
        LoweringAssert.LowersExactly((Func<ushort, ushort, bool>)((a, b) => a < b));
    }

    [Test]
    public void Lower_DroppedDivision_StillThrowsWhereTheDelegateThrows()
    {
        LoweringAssert.LowersExactly((Func<int, int, int>)((a, b) =>
        {
            var unused = a / b;
            return a + 1;
        }));
    }

    [Test]
    public void Lower_TwoFailingOperations_ThrowTheFirstInSourceOrder()
    {
        LoweringAssert.LowersExactly((Func<int, int, int?, int>)((a, b, c) =>
        {
            var first = a / b;
            var second = c!.Value;
            return second + first;
        }));
    }
}
