using Dsl.Arrow.Types;
using FsCheckProperty = FsCheck.NUnit.PropertyAttribute;

namespace Dsl.Arrow.Tests.Arrays;

/// <summary>Random round trips of the nested arrays (list, struct, dictionary), whole and sliced.</summary>
public class NestedArrayPropertyTests
{
    [FsCheckProperty(MaxTest = 150)]
    public bool ListArray_RandomLists_ReadBackEqualWholeAndSliced(int?[]?[] lists, int a)
    {
        using var array = BuildList(lists);
        var offset = lists.Length == 0 ? 0 : Math.Abs(a % (lists.Length + 1));
        using var slice = (ListArray)array.Slice(offset, lists.Length - offset);
        array.Data.Validate();
        slice.Data.Validate();
        return ReadLists(array).SequenceEqual(lists, ListComparer.Instance)
            && ReadLists(slice).SequenceEqual(lists.Skip(offset), ListComparer.Instance)
            && slice.NullCount == lists.Skip(offset).Count(l => l is null);
    }

    [FsCheckProperty(MaxTest = 150)]
    public bool StructArray_RandomRows_SliceReadsTheSubRange(long?[] ids, int a, int b)
    {
        var names = ids.Select(id => id is null ? null : $"n{id}").ToArray();
        var type = new StructType([new Field("id", Int64Type.Default, true), new Field("name", StringType.Default, true)]);
        using var array = new StructArray(
            type, ids.Length, [new Int64Array.Builder().AppendRange(ids).Build(), new StringArray.Builder().AppendRange(names).Build()]);
        var offset = ids.Length == 0 ? 0 : Math.Abs(a % (ids.Length + 1));
        var length = Math.Abs(b % (ids.Length - offset + 1));
        using var slice = (StructArray)array.Slice(offset, length);
        slice.Data.Validate();
        return ((Int64Array)slice.Fields[0]).ToArray().SequenceEqual(ids.Skip(offset).Take(length))
            && ((StringArray)slice.Fields[1]).ToArray().SequenceEqual(names.Skip(offset).Take(length));
    }

    [FsCheckProperty(MaxTest = 150)]
    public bool DictionaryArray_RandomIndices_DecodeEqualsLookup(byte[] rawIndices, string?[] dictionaryValues, int a)
    {
        var values = dictionaryValues.Length == 0 ? new string?[] { "only" } : dictionaryValues;
        values[0] = null;
        var indices = rawIndices.Select(i => i % 7 == 0 ? (int?)null : i % values.Length).ToArray();
        using var array = new DictionaryArray(
            new DictionaryType(Int32Type.Default, StringType.Default, false),
            new Int32Array.Builder().AppendRange(indices).Build(),
            new StringArray.Builder().AppendRange(values).Build());
        var offset = indices.Length == 0 ? 0 : Math.Abs(a % (indices.Length + 1));
        using var slice = (DictionaryArray)array.Slice(offset, indices.Length - offset);
        using var decoded = (StringArray)slice.Decode();
        slice.Data.Validate();
        var expected = indices.Skip(offset).Select(i => i is null ? null : Utf8RoundTrip(values[i.Value]));
        return decoded.ToArray().SequenceEqual(expected);
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(33)]
    public void AllArrayKinds_ZeroLengthSliceAtEveryEnd_IsEmptyAndValid(int length)
    {
        var lists = Enumerable.Range(0, length).Select(i => i % 3 == 0 ? null : new int?[] { i, null }).ToArray();
        using var list = BuildList(lists);
        using var strings = new StringArray.Builder().AppendRange(Enumerable.Range(0, length).Select(i => i % 2 == 0 ? null : $"s{i}")).Build();
        using var bools = new BooleanArray.Builder().AppendRange(Enumerable.Range(0, length).Select(i => i % 2 == 0)).Build();
        foreach (IArrowArray array in new IArrowArray[] { list, strings, bools })
        {
            foreach (var at in new[] { 0, length / 2, length })
            {
                using var empty = array.Slice(at, 0);
                Assert.That(empty.Length, Is.EqualTo(0));
                Assert.That(empty.NullCount, Is.EqualTo(0));
                Assert.That(() => empty.Data.Validate(), Throws.Nothing);
            }
        }
    }

    private static ListArray BuildList(int?[]?[] lists)
    {
        var values = new Int32Array.Builder();
        var builder = new ListArray.Builder(values);
        foreach (var list in lists)
        {
            if (list is null)
            {
                builder.AppendNull();
                continue;
            }

            builder.Append();
            values.AppendRange(list);
        }

        return builder.Build();
    }

    private static IEnumerable<int?[]?> ReadLists(ListArray array) =>
        Enumerable.Range(0, array.Length).Select(i =>
        {
            if (array.IsNull(i))
            {
                return null;
            }

            using var row = (Int32Array)array.GetSlice(i)!;
            return row.ToArray();
        }).ToList();

    // A null dictionary value decodes to a null row; lone surrogates do not survive UTF-8.
    private static string? Utf8RoundTrip(string? value) =>
        value is null ? null : System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(value));

    private sealed class ListComparer : IEqualityComparer<int?[]?>
    {
        public static readonly ListComparer Instance = new();

        public bool Equals(int?[]? x, int?[]? y) => x is null ? y is null : y is not null && x.SequenceEqual(y);

        public int GetHashCode(int?[]? obj) => obj?.Length ?? -1;
    }
}
