using Apache.Arrow;

namespace Dsl.Bench.Runtime;

/// <summary>
/// The reference transactions as one record batch: the kernel benchmarks' <see cref="Codegen.ReferenceData"/>
/// columns (subtotal, discount ~30% null, tax_rate ~20% null, taxable ~70% true) plus amount (float64, [0, 500)),
/// deterministic per row count.
/// </summary>
internal static class ReferenceBatch
{
    public static RecordBatch Create(int rows, int seed = 42)
    {
        var data = new Codegen.ReferenceData(rows, seed);
        var random = new Random(seed + 1);
        var amount = new DoubleArray.Builder();
        amount.Reserve(rows);
        for (var i = 0; i < rows; i++) amount.Append(random.NextDouble() * 500);

        IArrowArray[] columns = [.. data.Columns, amount.Build()];
        var schema = new Schema(
        [
            new Field("subtotal", columns[0].Data.DataType, nullable: false),
            new Field("discount", columns[1].Data.DataType, nullable: true),
            new Field("tax_rate", columns[2].Data.DataType, nullable: true),
            new Field("taxable", columns[3].Data.DataType, nullable: false),
            new Field("amount", columns[4].Data.DataType, nullable: false),
        ], null);
        return new RecordBatch(schema, columns, rows); // the batch owns the columns from here on
    }
}
