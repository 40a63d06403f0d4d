using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;
using Dsl.ArrowExtensions.Types;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Tests.Support;
using Dsl.Lowering;
using Dsl.TestSupport.Columns;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Codegen.Tests.Columns;

[TestFixture]
public sealed class StructOutputTests
{
    private static readonly IArrowType[] s_intAndText = [Int32Type.Default, StringType.Default];

    /// <summary>
    /// Every kind of field, and a DateTime field that cannot be written (year 1 is outside timestamp[ns]) for even
    /// <c>x</c>: the row fails after some fields were written, so its string field must still get exactly one entry.
    /// </summary>
    private static readonly Func<int, string?, (int?, string?, DateTime, bool, char, DayOfWeek)> s_everyField =
        (x, s) => (x > 0 ? x : null, s == null ? null : s + "!", (x & 1) == 0 ? default : new DateTime(621_355_968_000_000_000L + x * 10_000_000L, DateTimeKind.Utc),
            x < 10, (char)x, (DayOfWeek)x);

    private static object?[] Column(IArrowType type, int length, int seed) =>
        Gen.Sample(ColumnValues.Column(type, length), 1, new Rnd((ulong)seed + 1), 1)[0];

    /// <summary>The kernel of a tuple-returning function as lowering yields it (expression trees have no tuple literals).</summary>
    private static IKernel Kernel(Delegate function, params IArrowType[] inputs)
    {
        var lowered = Lowerer.Lower(function);
        Assert.That(lowered.Succeeded, Is.True, () => lowered.Fallback!.ToString());
        return KernelCompiler.Compile(lowered.Ir!, inputs);
    }

    [Test]
    public void Kernel_TupleOfEveryFieldKind_EqualsTheDelegateRowByRowIncludingFailedRows()
    {
        var kernel = Kernel(s_everyField, s_intAndText);
        var function = s_everyField;
        foreach (var length in ColumnValues.EdgeLengths)
        {
            object?[][] columns = [Column(Int32Type.Default, length, length), Column(StringType.Default, length, length + 1)];
            var expected = KernelHarness.Reference(function, columns, length);
            KernelHarness.AssertSame(expected, KernelHarness.Run(kernel, s_intAndText, columns, length, rangeRows: 64, seed: length), $"{length} rows");
            KernelHarness.AssertSame(expected, KernelHarness.Run(kernel, s_intAndText, columns, length, offset: 3, rangeRows: 64, parallel: true, seed: length),
                $"{length} rows, sliced, parallel ranges");
        }
    }

    [Test]
    public void ToArray_TupleResult_IsAStructWithOneNullableFieldPerElement()
    {
        Func<int, string?, (int, string?)?> pair = (x, s) => x == 0 ? null : (x / 2, s);
        var kernel = Kernel(pair, s_intAndText);
        using var output = OutputColumn.Create(kernel.OutputType, 4);
        var inputs = new[] { TestArrays.Array(Int32Type.Default, [4, 0, null, 7]), TestArrays.Array(StringType.Default, ["a", "b", "c", null]) };
        using (var frame = new KernelFrame(inputs, output, new RowErrorSink())) kernel.Run(frame, 0, 4);
        using var owner = new NativeBlockSet();
        using var array = (StructArray)output.ToArray(owner);

        var type = (StructType)array.Data.DataType;
        Assert.That(ArrowTypes.Describe(type), Is.EqualTo("struct<Item1: int32, Item2: utf8>"));
        Assert.That(type.Fields.Select(f => f.IsNullable), Is.All.True);
        Assert.That(Enumerable.Range(0, 4).Select(array.IsNull), Is.EqualTo(new[] { false, true, true, false }));
        var halves = (Int32Array)array.Fields[0];
        var texts = (StringArray)array.Fields[1];
        Assert.That(Enumerable.Range(0, 4).Select(i => halves.IsNull(i) ? (int?)null : halves.Values[i]), Is.EqualTo(new int?[] { 2, null, null, 3 }));
        Assert.That(Enumerable.Range(0, 4).Select(i => texts.GetString(i)), Is.EqualTo(new[] { "a", null, null, null }));
    }

    [Test]
    public void Compile_TupleOfMoreThanSevenOrNestedTuple_IsNotSupported()
    {
        Func<int, (int, int, int, int, int, int, int, int)> eight = x => (x, x, x, x, x, x, x, x);
        Func<int, (int, (int, int))> nested = x => (x, (x, x));

        Assert.That(() => Kernel(eight, Int32Type.Default), Throws.TypeOf<NotSupportedException>().With.Message.Contains("more than seven"));
        Assert.That(() => Kernel(nested, Int32Type.Default), Throws.TypeOf<NotSupportedException>().With.Message.Contains("nested tuples"));
    }
}
