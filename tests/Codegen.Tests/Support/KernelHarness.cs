using System.Reflection;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;
using Dsl.ArrowExtensions.Memory;
using Dsl.Codegen.Columns;
using Dsl.TestSupport;
using Dsl.TestSupport.Columns;

namespace Dsl.Codegen.Tests.Support;

/// <summary>What a run produced: one CLR value (or null) per row and the errors sorted by row.</summary>
internal sealed record KernelOutcome(object?[] Values, IReadOnlyList<KernelRowError> Errors);

/// <summary>
/// Runs kernels over batches built from CLR values, and computes the same batch row by row through a scalar
/// delegate (the reference), so tests can assert kernel == row-by-row on values, nulls and errors.
/// </summary>
internal static class KernelHarness
{
    /// <summary>
    /// Runs <paramref name="kernel"/> over columns built with <see cref="TestArrays"/> (sliced by
    /// <paramref name="offset"/>), in ranges of <paramref name="rangeRows"/> rows run in a shuffled order,
    /// concurrently when <paramref name="parallel"/> (then <paramref name="rangeRows"/> is a multiple of 64).
    /// </summary>
    public static KernelOutcome Run(IKernel kernel, IReadOnlyList<IArrowType> types, IReadOnlyList<object?[]> columns,
        int length, int offset = 0, bool alwaysBitmap = false, int rangeRows = 0, bool parallel = false, int seed = 0,
        (int Start, int Length)? runExtra = null)
    {
        var arrays = types.Select((type, k) => TestArrays.Array(type, columns[k], offset, alwaysBitmap)).ToArray();
        return Run(kernel, arrays, length, rangeRows, parallel, seed, runExtra);
    }

    /// <summary>
    /// Runs <paramref name="kernel"/> over the caller's <paramref name="inputs"/> (read in place), in ranges of
    /// <paramref name="rangeRows"/> rows run in a shuffled order, concurrently when <paramref name="parallel"/>.
    /// </summary>
    public static KernelOutcome Run(IKernel kernel, IReadOnlyList<IArrowArray> inputs, int length,
        int rangeRows = 0, bool parallel = false, int seed = 0, (int Start, int Length)? runExtra = null)
    {
        using var output = OutputColumn.Create(kernel.OutputType, length);
        var errors = new RowErrorSink();
        using (var frame = new KernelFrame(inputs, output, errors))
        {
            var ranges = new List<(int Start, int Length)>();
            int step = rangeRows <= 0 ? Math.Max(length, 1) : rangeRows;
            for (int start = 0; start < length; start += step) ranges.Add((start, Math.Min(step, length - start)));
            if (length == 0) ranges.Add((0, 0));
            if (runExtra is { } extra) ranges.Add(extra);
            var random = new Random(seed);
            var order = ranges.OrderBy(_ => random.Next()).ToArray();
            if (parallel) Parallel.ForEach(order, r => kernel.Run(frame, r.Start, r.Length));
            else foreach (var r in order) kernel.Run(frame, r.Start, r.Length);
        }

        return new KernelOutcome(Decode(output), errors.Errors);
    }

    /// <summary>
    /// The row-by-row reference: a null in a non-nullable value-type parameter (or in an element of an array of
    /// one) gives null without calling; otherwise the delegate's value, or its exception as the row's error.
    /// </summary>
    public static KernelOutcome Reference(Delegate scalar, IReadOnlyList<object?[]> columns, int length)
    {
        var parameters = scalar.GetType().GetMethod("Invoke")!.GetParameters();
        var values = new object?[length];
        var errors = new List<KernelRowError>();
        for (int row = 0; row < length; row++)
        {
            var args = new object?[parameters.Length];
            bool skip = false;
            for (int k = 0; k < parameters.Length; k++)
            {
                args[k] = columns[k][row];
                var type = parameters[k].ParameterType;
                if (args[k] is null && IsNonNullableValue(type)) skip = true;
                if (args[k] is System.Array array && type.IsArray && IsNonNullableValue(type.GetElementType()!) && array.Cast<object?>().Any(e => e is null)) skip = true;
            }

            if (skip) continue;
            try
            {
                values[row] = OutputRepresentation.Of(scalar.DynamicInvoke(args));
            }
            catch (Exception e)
            {
                var actual = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                errors.Add(new KernelRowError(row, actual.GetType().FullName!, actual.Message));
                values[row] = null;
            }
        }

        return new KernelOutcome(values, errors);
    }

    /// <summary>Asserts equal values (floating point by bits), nulls and errors.</summary>
    public static void AssertSame(KernelOutcome expected, KernelOutcome actual, string context)
    {
        Assert.That(actual.Values, Has.Length.EqualTo(expected.Values.Length), context);
        for (int row = 0; row < expected.Values.Length; row++)
        {
            var e = Comparable(expected.Values[row]);
            var a = Comparable(actual.Values[row]);
            if (!Equals(e, a))
            {
                Assert.Fail($"{context}: row {row}: expected {Show(expected.Values[row])}, kernel gave {Show(actual.Values[row])}");
            }
        }

        Assert.That(actual.Errors, Is.EqualTo(expected.Errors), context);
    }

    /// <summary>
    /// Floating point compares by bits, except that all NaNs are one value: which NaN an operation on two NaNs
    /// returns depends on operand order, which the JIT may commute in scalar and vector code alike.
    /// </summary>
    private static object? Comparable(object? value) => value switch
    {
        double d => double.IsNaN(d) ? "NaN" : BitConverter.DoubleToInt64Bits(d),
        float f => float.IsNaN(f) ? "NaN" : BitConverter.SingleToInt32Bits(f),
        DateTime dt => dt.Ticks,
        object?[] fields => "(" + string.Join(", ", fields.Select(f => Comparable(f) is { } c ? $"{c.GetType().Name} {c}" : "null")) + ")",
        decimal m => string.Join(",", decimal.GetBits(m)), // the scale counts: 1.0 is not 1.00
        char c => (ushort)c,
        Enum e => Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType()), System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };

    private static string Show(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R") + $" (bits {BitConverter.DoubleToInt64Bits(d):x})",
        string s => $"\"{s}\"",
        object?[] fields => "(" + string.Join(", ", fields.Select(Show)) + ")",
        _ => value.ToString() ?? "?",
    };

    private static bool IsNonNullableValue(Type type) => type.IsValueType && Nullable.GetUnderlyingType(type) is null;

    private static unsafe object?[] Decode(OutputColumn output)
    {
        var values = new object?[output.Length];
        if (output is FixedWidthOutput fixedWidth)
        {
            var layout = fixedWidth.Layout;
            for (int row = 0; row < output.Length; row++)
            {
                if (!NativeAccess.ReadBit(output.Validity, row)) continue;
                values[row] = layout.Encoding == ColumnEncoding.Bits
                    ? NativeAccess.ReadBit(fixedWidth.Values, row)
                    : ReadStored(layout, fixedWidth.Values, row);
            }

            return values;
        }

        if (output is StructOutput tuple)
        {
            // A tuple result: the fields' values row by row (null where the struct itself is null).
            var fields = tuple.Children.Select(Decode).ToArray();
            for (int row = 0; row < output.Length; row++)
            {
                if (NativeAccess.ReadBit(output.Validity, row)) values[row] = fields.Select(f => f[row]).ToArray();
            }

            return values;
        }

        using var owner = new NativeBlockSet();
        using var array = output.ToArray(owner);
        switch (array)
        {
            case StringArray strings:
                for (int row = 0; row < output.Length; row++) values[row] = strings.GetString(row);
                break;
            default:
                throw new NotSupportedException($"Cannot decode {array.GetType().Name}.");
        }

        return values;
    }

    private static unsafe object ReadStored(ColumnLayout layout, nint values, int row)
    {
        if (layout.Temporal == TemporalMeaning.Timestamp) return TemporalConversions.DateTimeFromTimestamp(((long*)values)[row], TimeUnit.Nanosecond);
        if (layout.Temporal == TemporalMeaning.Duration) return TemporalConversions.TimeSpanFromDuration(((long*)values)[row], TimeUnit.Nanosecond);
        if (layout.Temporal == TemporalMeaning.Date32) return TemporalConversions.DateFromDays(((int*)values)[row]);
        if (layout.Temporal == TemporalMeaning.Decimal128) return DecimalConversions.ToDecimal(((Int128*)values)[row], layout.Scale);
        return Type.GetTypeCode(layout.StorageType) switch
        {
            TypeCode.Double => (object)((double*)values)[row],
            TypeCode.Single => (object)((float*)values)[row],
            TypeCode.SByte => (object)((sbyte*)values)[row],
            TypeCode.Int16 => (object)((short*)values)[row],
            TypeCode.Int32 => (object)((int*)values)[row],
            TypeCode.Int64 => (object)((long*)values)[row],
            TypeCode.Byte => (object)((byte*)values)[row],
            TypeCode.UInt16 => (object)((ushort*)values)[row],
            TypeCode.UInt32 => (object)((uint*)values)[row],
            TypeCode.UInt64 => (object)((ulong*)values)[row],
            _ => throw new NotSupportedException(layout.ToString()),
        };
    }
}
