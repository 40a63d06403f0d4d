using Dsl.ArrowExtensions.Ipc;
using Dsl.Fuzz.Generation;
using NUnit.Framework;

namespace Dsl.Fuzz.Differential;

[TestFixture]
public sealed class FuzzInputTests
{
    private static readonly (FuzzType Type, Type Clr)[] s_everyParameterType =
    [
        (FuzzType.Double, typeof(double)), (FuzzType.Float, typeof(float?)), (FuzzType.Int, typeof(int)), (FuzzType.Long, typeof(long?)),
        (FuzzType.Bool, typeof(bool)), (FuzzType.String, typeof(string)), (FuzzType.DateTime, typeof(DateTime?)),
        (FuzzType.DoubleArray, typeof(double[])), (FuzzType.LongArray, typeof(long[])),
    ];

    /// <summary>
    /// The input a mismatch is reproduced from: written by <see cref="FuzzInput.Write"/> (sliced arrays, offset 1 or 2,
    /// bit offsets in the bitmaps) and mapped back, it holds the rows the run used, for every parameter type.
    /// </summary>
    [TestCase(1)]
    [TestCase(2)]
    public void Write_SlicedInputOfEveryType_ReadsBackTheSameRows(int seed)
    {
        var program = new FuzzProgram(
            s_everyParameterType.Select((p, k) => new Parameter($"p{k}", p.Type)).ToArray(), FuzzType.Int, new Block([]));
        using var input = FuzzInput.TryCreate(program, s_everyParameterType.Select(p => p.Clr).ToArray(), rows: 37, seed, out var unsupported)
            ?? throw new AssertionException($"unsupported: {unsupported}");
        Assert.That(input.Batch.Column(0).Data.Offset, Is.EqualTo(seed % 3), "the generated columns are sliced");
        var path = Path.Combine(Path.GetTempPath(), $"dsl-fuzz-input-{Environment.ProcessId}-{seed}.arrow");
        try
        {
            input.Write(path);
            using var reader = MappedArrowReader.Open(path);
            using var batch = reader.ReadRecordBatch(0);

            Assert.That(batch.Length, Is.EqualTo(37));
            for (var row = 0; row < 37; row++)
            {
                for (var k = 0; k < batch.ColumnCount; k++)
                {
                    var read = ArrowValues.Get(batch.Column(k), row);
                    Assert.That(ResultComparer.AreEqual(input.Rows[row][k], read), Is.True,
                        $"row {row}, p{k}: wrote {ResultComparer.Describe(input.Rows[row][k])}, read {ResultComparer.Describe(read)}");
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
