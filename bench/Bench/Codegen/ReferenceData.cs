using Apache.Arrow;
using Apache.Arrow.Types;

namespace Dsl.Bench.Codegen;

/// <summary>
/// The reference batch of the kernel benchmarks, generated in process (seeded): subtotal (non-null, cents in
/// [0, 2000)), discount (~30% null, [0, 50)), tax rate (~20% null, one of seven rates), taxable (~70% true).
/// Arrays are built from whole buffers with Apache.Arrow's buffer builders (64-byte aligned native memory, offset 0).
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

        Subtotal = Build<double>(DoubleType.Default, rows, null, subtotal);
        Discount = Build<double>(DoubleType.Default, rows, discountValid, discount);
        TaxRate = Build<double>(DoubleType.Default, rows, taxRateValid, taxRate);
        Taxable = Build<byte>(BooleanType.Default, rows, null, taxable);
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

    /// <summary>
    /// An array of <paramref name="rows"/> rows whose buffers are native copies of <paramref name="validity"/> (null:
    /// every row valid) and <paramref name="values"/> (the array owns them: disposing it frees them).
    /// </summary>
    internal static IArrowArray Build<T>(IArrowType type, int rows, byte[]? validity, T[] values)
        where T : struct
    {
        var valueBuffer = new ArrowBuffer.Builder<T>(values.Length).Append(values).Build();
        var validityBuffer = validity is null ? ArrowBuffer.Empty : new ArrowBuffer.Builder<byte>(validity.Length).Append(validity).Build();
        return ArrowArrayFactory.BuildArray(new ArrayData(type, rows, validity is null ? 0 : -1, 0, [validityBuffer, valueBuffer]));
    }
}
