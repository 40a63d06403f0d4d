using System.Linq.Expressions;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen.Vector;

/// <summary>
/// Timestamp and duration columns and results: lanes hold the 100 ns ticks of the DateTime or TimeSpan the IR
/// sees (TemporalValues' reading: nanoseconds floored to ticks, other units multiplied, timestamps from the
/// Unix epoch), and results are stored as nanoseconds. A value the scalar path cannot read or write (out of
/// the DateTime range, or overflowing) marks its lane as failing, so its block runs through the row loop.
/// </summary>
internal static partial class VectorKernelGenerator
{
    /// <summary>Ticks of stored temporal lanes; <paramref name="unreadable"/> marks lanes whose scalar read throws.</summary>
    private static Expression Ticks(VectorShape shape, ColumnLayout layout, Expression stored, out Expression? unreadable)
    {
        Expression Splat(long value) => shape.Splat(typeof(long), Expression.Constant(value));
        Expression ticks;
        unreadable = null;
        if (layout.TicksPerUnit == ColumnLayout.NanosecondUnit)
        {
            ticks = VectorShape.Access(nameof(VectorAccess.NanosecondsToTicks), stored);
        }
        else
        {
            var (min, max) = VectorAccess.StoredRange(layout.Temporal, layout.TicksPerUnit);
            unreadable = shape.Call("BitwiseOr", shape.MaskElement,
                shape.ToMask(shape.Call("LessThan", typeof(long), stored, Splat(min))), shape.ToMask(shape.Call("GreaterThan", typeof(long), stored, Splat(max))));
            ticks = shape.Call("Multiply", typeof(long), stored, Splat(layout.TicksPerUnit));
        }

        return layout.Temporal == TemporalMeaning.Timestamp ? shape.Call("Add", typeof(long), ticks, Splat(DateTime.UnixEpoch.Ticks)) : ticks;
    }

    /// <summary>Nanoseconds to store for tick lanes; <paramref name="unwritable"/> marks lanes whose scalar write overflows.</summary>
    private static Expression Stored(VectorShape shape, ColumnLayout layout, Expression ticks, out Expression unwritable)
    {
        Expression Splat(long value) => shape.Splat(typeof(long), Expression.Constant(value));
        var relative = layout.Temporal == TemporalMeaning.Timestamp ? shape.Call("Subtract", typeof(long), ticks, Splat(DateTime.UnixEpoch.Ticks)) : ticks;
        unwritable = shape.Call("BitwiseOr", shape.MaskElement,
            shape.ToMask(shape.Call("LessThan", typeof(long), relative, Splat(long.MinValue / 100))),
            shape.ToMask(shape.Call("GreaterThan", typeof(long), relative, Splat(long.MaxValue / 100))));
        return shape.Call("Multiply", typeof(long), relative, Splat(100));
    }
}
