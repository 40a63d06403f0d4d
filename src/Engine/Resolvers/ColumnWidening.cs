using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.Engine.Resolvers;

/// <summary>
/// Lossless conversions from a column's Arrow type to the type a feature reads, for the common case of a database
/// giving a narrower type than the feature declares (<c>integer</c> for a <c>long</c>, <c>real</c> for a <c>double</c>):
/// a narrower integer to a wider one, and an integer of at most 32 bits or a float32 to float64. Nothing that could
/// change a value (int64 to float64, a narrowing, decimal to integer) is done: those are cast in the SQL.
/// </summary>
internal static class ColumnWidening
{
    /// <summary>The Arrow type a column of <paramref name="from"/> is widened to for a feature of <paramref name="feature"/>, or null when none is lossless.</summary>
    public static IArrowType? Target(IArrowType from, Type feature)
    {
        var target = Nullable.GetUnderlyingType(feature) ?? feature;
        var bits = IntegerBits(from);
        if (target == typeof(double) && (from is FloatType || bits is > 0 and <= 33)) return DoubleType.Default;
        if (target == typeof(long) && bits is > 0 and < 64) return Int64Type.Default;
        if (target == typeof(int) && bits is > 0 and < 32) return Int32Type.Default;
        if (target == typeof(short) && bits is > 0 and < 16) return Int16Type.Default;
        return null;
    }

    /// <summary><paramref name="column"/> converted to <paramref name="target"/> (one <see cref="Target"/> gave), nulls kept.</summary>
    public static IArrowArray Widen(IArrowArray column, IArrowType target)
    {
        switch (target)
        {
            case DoubleType:
            {
                var builder = new DoubleArray.Builder().Reserve(column.Length);
                for (var i = 0; i < column.Length; i++) builder.Append(column.IsNull(i) ? null : AsDouble(column, i));
                return builder.Build(ManagedMemoryAllocator.Instance);
            }
            case Int64Type:
            {
                var builder = new Int64Array.Builder().Reserve(column.Length);
                for (var i = 0; i < column.Length; i++) builder.Append(column.IsNull(i) ? null : AsLong(column, i));
                return builder.Build(ManagedMemoryAllocator.Instance);
            }
            case Int32Type:
            {
                var builder = new Int32Array.Builder().Reserve(column.Length);
                for (var i = 0; i < column.Length; i++) builder.Append(column.IsNull(i) ? null : (int)AsLong(column, i));
                return builder.Build(ManagedMemoryAllocator.Instance);
            }
            default:
            {
                var builder = new Int16Array.Builder().Reserve(column.Length);
                for (var i = 0; i < column.Length; i++) builder.Append(column.IsNull(i) ? null : (short)AsLong(column, i));
                return builder.Build(ManagedMemoryAllocator.Instance);
            }
        }
    }

    /// <summary>
    /// The width of an integer type, counted so that a signed type that holds every value of an unsigned one is wider:
    /// signed types give 8, 16, 32, 64; unsigned ones 9, 17, 33 (they need one more bit) and 65 for uint64, which fits nothing.
    /// </summary>
    private static int IntegerBits(IArrowType type) => type.TypeId switch
    {
        ArrowTypeId.Int8 => 8,
        ArrowTypeId.Int16 => 16,
        ArrowTypeId.Int32 => 32,
        ArrowTypeId.Int64 => 64,
        ArrowTypeId.UInt8 => 9,
        ArrowTypeId.UInt16 => 17,
        ArrowTypeId.UInt32 => 33,
        ArrowTypeId.UInt64 => 65,
        _ => 0,
    };

    private static double AsDouble(IArrowArray column, int row) => column is FloatArray floats ? floats.GetValue(row)!.Value : AsLong(column, row);

    private static long AsLong(IArrowArray column, int row) => column switch
    {
        Int8Array a => a.GetValue(row)!.Value,
        Int16Array a => a.GetValue(row)!.Value,
        Int32Array a => a.GetValue(row)!.Value,
        Int64Array a => a.GetValue(row)!.Value,
        UInt8Array a => a.GetValue(row)!.Value,
        UInt16Array a => a.GetValue(row)!.Value,
        UInt32Array a => a.GetValue(row)!.Value,
        _ => throw new InvalidOperationException($"ColumnWidening cannot read {column.Data.DataType.Name} as an integer."),
    };
}
