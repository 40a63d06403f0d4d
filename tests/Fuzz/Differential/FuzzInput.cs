using Apache.Arrow;
using Dsl.ArrowExtensions.Ipc;
using Dsl.Codegen.Columns;
using Dsl.Fuzz.Generation;
using Dsl.TestSupport.Columns;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Fuzz.Differential;

/// <summary>
/// Random Arrow input for one program: one nullable column per parameter (named as the parameter), filled by the
/// shared column generators (NaN, ±Infinity, ±0, extremes, zero divisors, empty and non-ASCII strings, nulls at a
/// generated rate, also in columns bound to non-nullable parameters), deterministic in the seed.
/// </summary>
internal sealed class FuzzInput : IDisposable
{
    private FuzzInput(RecordBatch batch, object?[][] rows)
    {
        Batch = batch;
        Rows = rows;
    }

    public RecordBatch Batch { get; }

    /// <summary>The rows as the batch holds them (UTF-8 turns a lone surrogate into U+FFFD), one boxed value per parameter.</summary>
    public object?[][] Rows { get; }

    /// <summary>The input, or null with the reason when a parameter type has no Arrow array class yet.</summary>
    public static FuzzInput? TryCreate(FuzzProgram program, Type[] parameterTypes, int rows, int seed, out string? unsupported)
    {
        unsupported = null;
        var arrays = new List<IArrowArray>();
        try
        {
            for (var k = 0; k < parameterTypes.Length; k++)
            {
                var clr = Nullable.GetUnderlyingType(parameterTypes[k]) ?? parameterTypes[k];
                var arrowType = ColumnTypes.ArrowTypeOf(clr);
                var gen = ColumnValues.Column(arrowType, rows);
                var values = Gen.Sample(gen, 10, new Rnd((ulong)seed * 31UL + (ulong)k), 1)[0];
                arrays.Add(TestArrays.Array(arrowType, values, offset: seed % 3));
            }
        }
        catch (NotSupportedException e)
        {
            foreach (var a in arrays) a.Dispose();
            unsupported = e.Message;
            return null;
        }
        var schema = new Schema(program.Parameters.Select((p, k) => new Field(p.Name, arrays[k].Data.DataType, nullable: true)), null);
        var batch = new RecordBatch(schema, arrays, rows);
        try
        {
            var boxed = Enumerable.Range(0, rows).Select(i => arrays.Select((a, k) => ArrowValues.Get(a, i)).ToArray()).ToArray();
            return new FuzzInput(batch, boxed);
        }
        catch (NotSupportedException e)
        {
            batch.Dispose();
            unsupported = e.Message;
            return null;
        }
    }

    /// <summary>A batch holding exactly <paramref name="rows"/> (one boxed value per column; null = null row).</summary>
    public static FuzzInput FromRows(string[] names, Type[] types, object?[][] rows)
    {
        var arrays = types.Select((t, k) => TestArrays.Array(
            ColumnTypes.ArrowTypeOf(Nullable.GetUnderlyingType(t) ?? t), rows.Select(r => r[k]).ToArray())).ToList();
        var schema = new Schema(names.Select((name, k) => new Field(name, arrays[k].Data.DataType, nullable: true)), null);
        var batch = new RecordBatch(schema, arrays, rows.Length);
        var boxed = Enumerable.Range(0, rows.Length).Select(i => arrays.Select(a => ArrowValues.Get(a, i)).ToArray()).ToArray();
        return new FuzzInput(batch, boxed);
    }

    /// <summary>Writes the batch as an Arrow IPC file (a mismatch's reproducible input).</summary>
    public void Write(string path)
    {
        using var writer = ArrowBatchWriter.Create(path, Batch.Schema);
        writer.Write(Batch);
    }

    public void Dispose() => Batch.Dispose();
}
