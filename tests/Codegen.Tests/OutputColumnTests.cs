using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;
using Dsl.ArrowExtensions.Types;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen.Tests;

public sealed class OutputColumnTests
{
    [TestCase(1)]
    [TestCase(3)]
    [TestCase(9)]
    [TestCase(63)]
    [TestCase(65)]
    [TestCase(1003)]
    public void Create_EveryRowWrittenOverDirtyMemory_BitmapBitsPastTheLastRowAreZero(int rows)
    {
        foreach (var type in new IArrowType[] { DoubleType.Default, BooleanType.Default })
        {
            LeaveDirtyMemory(OutputColumn.BitmapBytes(rows));
            using var output = (FixedWidthOutput)OutputColumn.Create(type, rows, everyRowWritten: true);

            Assert.That(BitsPastLastRow(output.Validity, rows), Is.Zero, $"{ArrowTypes.Describe(type)} validity");
            if (type is BooleanType) Assert.That(BitsPastLastRow(output.Values, rows), Is.Zero, "bool values");
        }
    }

    [Test]
    public void Create_Default_EveryRowIsNullUntilWritten()
    {
        LeaveDirtyMemory(OutputColumn.BitmapBytes(100));
        using var output = OutputColumn.Create(DoubleType.Default, 100);
        using var owner = new NativeBlockSet();
        using var array = output.ToArray(owner);

        Assert.That(array.NullCount, Is.EqualTo(100));
    }

    /// <summary>Allocates and frees a few buffers of <paramref name="bytes"/> filled with ones, which the allocator tends to hand out next.</summary>
    private static void LeaveDirtyMemory(long bytes)
    {
        for (var i = 0; i < 4; i++)
        {
            using var dirty = NativeBuffer.Allocate(bytes, zeroFill: false);
            dirty.Span.Fill(0xFF);
        }
    }

    private static unsafe int BitsPastLastRow(nint bitmap, int rows)
    {
        var bytes = (int)OutputColumn.BitmapBytes(rows);
        var last = ((byte*)bitmap)[bytes - 1];
        var used = rows - (bytes - 1) * 8;
        return last >> used;
    }
}
