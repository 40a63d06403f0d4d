using Dsl.Arrow;

namespace Dsl.Bench.Runtime;

/// <summary>
/// The reference transactions in memory, deterministic per row count: subtotal float64, discount float64 (~30%
/// null), tax_rate float64 (~20% null), taxable bool (~70% true), amount float64.
/// </summary>
internal static class ReferenceData
{
    public static RecordBatch Create(int rows, int seed = 42)
    {
        var random = new Random(seed);
        using var subtotal = new DoubleArray.Builder();
        using var discount = new DoubleArray.Builder();
        using var taxRate = new DoubleArray.Builder();
        using var taxable = new BooleanArray.Builder();
        using var amount = new DoubleArray.Builder();
        subtotal.Reserve(rows);
        discount.Reserve(rows);
        taxRate.Reserve(rows);
        taxable.Reserve(rows);
        amount.Reserve(rows);
        for (var i = 0; i < rows; i++)
        {
            subtotal.Append(Math.Round(random.NextDouble() * 2000, 2));
            if (random.NextDouble() < 0.3) discount.AppendNull();
            else discount.Append(Math.Round(random.NextDouble() * 200, 2));
            if (random.NextDouble() < 0.2) taxRate.AppendNull();
            else taxRate.Append(random.NextDouble() * 0.25);
            taxable.Append(random.NextDouble() < 0.7);
            amount.Append(random.NextDouble() * 500);
        }

        IArrowArray[] columns = [subtotal.Build(), discount.Build(), taxRate.Build(), taxable.Build(), amount.Build()];
        var schema = new Schema(
        [
            new Field("subtotal", columns[0].DataType, nullable: false),
            new Field("discount", columns[1].DataType, nullable: true),
            new Field("tax_rate", columns[2].DataType, nullable: true),
            new Field("taxable", columns[3].DataType, nullable: false),
            new Field("amount", columns[4].DataType, nullable: false),
        ]);
        return new RecordBatch(schema, columns, rows);
    }
}
