using Apache.Arrow.Types;
using Dsl.TestSupport.Columns;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Codegen.Tests.Support;

/// <summary>A generated batch: columns of CLR values, the slice offset of the Arrow arrays, and how to run it.</summary>
internal sealed record Batch(object?[][] Columns, int Length, int Offset, bool AlwaysBitmap, int RangeRows, bool Parallel)
{
    public override string ToString() =>
        $"length {Length}, offset {Offset}, bitmap {AlwaysBitmap}, ranges {RangeRows}, parallel {Parallel}: "
        + string.Join("; ", Columns.Select(c => "[" + string.Join(", ", c.Take(12).Select(Show)) + (c.Length > 12 ? ", …" : "") + "]"));

    private static string Show(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R"),
        string s => $"\"{s}\"",
        System.Array a => "{" + string.Join(",", a.Cast<object?>().Select(Show)) + "}",
        _ => value.ToString() ?? "?",
    };
}

/// <summary>Generators of batches for kernel property tests.</summary>
internal static class Batches
{
    /// <summary>Batches over <paramref name="types"/> with lengths around vector widths and sliced inputs.</summary>
    public static Gen<Batch> Of(IReadOnlyList<IArrowType> types) =>
        from length in Gen.Frequency((8, Gen.Elements(ColumnValues.EdgeLengths.Where(l => l < 1000).ToArray())), (1, Gen.Constant(1000)), (2, Gen.Choose(0, 200)))
        from offset in Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 13)))
        from bitmap in Gen.Elements(false, true)
        from rangeRows in Gen.Elements(0, 64, 128, 37)
        from concurrent in Gen.Elements(false, true)
        let parallel = concurrent && rangeRows % 64 == 0
        from columns in Gen.CollectToArray(types.Select(type => ColumnValues.Column(type, length)))
        select new Batch(columns, length, offset, bitmap, rangeRows, parallel);

    /// <summary>Runs <paramref name="check"/> on <paramref name="count"/> generated batches (FsCheck shrinks failures).</summary>
    public static void Check(IReadOnlyList<IArrowType> types, int count, Action<Batch> check) =>
        Prop.ForAll(Arb.From(Of(types)), check).Check(Config.QuickThrowOnFailure.WithMaxTest(count).WithQuietOnSuccess(true));
}
