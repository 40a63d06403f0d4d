using Dsl.Arrow;
using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Bench.Codegen;

/// <summary>
/// The reference batch of the kernel benchmarks, generated in process (seeded): subtotal (non-null, cents in
/// [0, 2000)), discount (~30% null, [0, 50)), tax rate (~20% null, one of seven rates), taxable (~70% true).
/// Arrays are built straight from native buffers (64-byte aligned, offset 0).
/// </summary>
internal sealed class ReferenceData : IDisposable
{
    private static readonly double[] s_taxRates = [0.05, 0.0625, 0.0725, 0.08, 0.0875, 0.1, 0.2];

    public ReferenceData(int rows, int seed = 42)
    {
        Rows = rows;
        var random = new Random(seed);
        var subtotal = new double[rows];
        var discount = new double[rows];
        var taxRate = new double[rows];
        var discountValid = new byte[(rows + 7) / 8];
        var taxRateValid = new byte[(rows + 7) / 8];
        var taxable = new byte[(rows + 7) / 8];
        for (int i = 0; i < rows; i++)
        {
            subtotal[i] = Math.Round(random.NextDouble() * 200_000) / 100;
            if (random.NextDouble() >= 0.3)
            {
                discount[i] = Math.Round(random.NextDouble() * 5_000) / 100;
                discountValid[i >> 3] |= (byte)(1 << (i & 7));
            }

            if (random.NextDouble() >= 0.2)
            {
                taxRate[i] = s_taxRates[random.Next(s_taxRates.Length)];
                taxRateValid[i >> 3] |= (byte)(1 << (i & 7));
            }

            if (random.NextDouble() < 0.7) taxable[i >> 3] |= (byte)(1 << (i & 7));
        }

        Subtotal = Build(DoubleType.Default, rows, null, NativeBuffer.FromValues<double>(subtotal));
        Discount = Build(DoubleType.Default, rows, NativeBuffer.FromBytes(discountValid), NativeBuffer.FromValues<double>(discount));
        TaxRate = Build(DoubleType.Default, rows, NativeBuffer.FromBytes(taxRateValid), NativeBuffer.FromValues<double>(taxRate));
        Taxable = Build(BooleanType.Default, rows, null, NativeBuffer.FromBytes(taxable));
    }

    public int Rows { get; }

    public IArrowArray Subtotal { get; }

    public IArrowArray Discount { get; }

    public IArrowArray TaxRate { get; }

    public IArrowArray Taxable { get; }

    public IArrowArray[] Columns => [Subtotal, Discount, TaxRate, Taxable];

    public static IArrowType[] Types => [DoubleType.Default, DoubleType.Default, DoubleType.Default, BooleanType.Default];

    public void Dispose()
    {
        foreach (var column in Columns) column.Dispose();
    }

    /// <summary>An array of <paramref name="rows"/> rows over native buffers (disposed here: the array holds its own references).</summary>
    internal static IArrowArray Build(IArrowType type, int rows, NativeBuffer? validity, NativeBuffer values)
    {
        using (validity)
        using (values)
        {
            var data = new ArrayData(type, rows, validity is null ? 0 : ArrayData.UnknownNullCount, 0,
                [validity?.ToArrowBuffer() ?? ArrowBuffer.Empty, values.ToArrowBuffer()]);
            return ArrowArrayFactory.BuildArray(data);
        }
    }
}
