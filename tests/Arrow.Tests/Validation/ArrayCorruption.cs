using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.ArrowExtensions.Tests.Validation;

/// <summary>
/// Damage done to one node of an array's tree (the array, a child, a dictionary, at any depth): bytes flipped or
/// overwritten (offsets, indices, values), buffers shrunk, dropped or added, null counts and bitmaps that disagree,
/// lengths and offsets that overrun, children shortened, retyped or removed, dictionaries shrunk or replaced, and
/// a batch length that is not the column's. Positions and choices are reduced modulo what the node has.
/// </summary>
internal static class ArrayCorruption
{
    /// <summary>One mutation of node <c>Node % nodeCount</c> (pre-order: the array, its children, its dictionary).</summary>
    public abstract record Mutation(int Node)
    {
        public abstract ArrayData Apply(ArrayData node);
    }

    /// <summary>XORs one byte of a buffer (which buffer and where: modulo what the node has).</summary>
    public sealed record FlipByte(int Node, int Buffer, int Position, byte Mask) : Mutation(Node)
    {
        public override ArrayData Apply(ArrayData node) => WithBuffer(node, Buffer, bytes =>
        {
            if (bytes.Length > 0) bytes[Position % bytes.Length] ^= Mask;
            return bytes;
        });
    }

    /// <summary>Writes a 4- or 8-byte little-endian value at an aligned position: where offsets and indices live.</summary>
    public sealed record WriteWord(int Node, int Buffer, int Position, long Value, int Size) : Mutation(Node)
    {
        public override ArrayData Apply(ArrayData node) => WithBuffer(node, Buffer, bytes =>
        {
            if (bytes.Length >= Size) Write(bytes, Position % (bytes.Length / Size) * Size, Value, Size);
            return bytes;
        });
    }

    /// <summary>
    /// Moves the first offset the array uses (offsets[Offset]) below zero by <c>By</c>, or the last one
    /// (offsets[Offset + Length]) past the end of the data or child by <c>By</c>: the out-of-bounds offsets.
    /// </summary>
    public sealed record OffsetOutOfRange(int Node, bool First, int By) : Mutation(Node)
    {
        public override ArrayData Apply(ArrayData node)
        {
            if (node.DataType is not (StringType or BinaryType or LargeStringType or ListType) || node.Buffers is not { Length: > 1 }) return node;
            var size = node.DataType is LargeStringType ? 8 : 4;
            var end = node.DataType is ListType ? node.Children?.FirstOrDefault()?.Length ?? 0 : node.Buffers.Length > 2 ? node.Buffers[2].Length : 0;
            var value = First ? -(long)By : end + (long)By;
            return WithBuffer(node, 1, bytes =>
            {
                var at = (node.Offset + (First ? 0 : node.Length)) * size;
                if (at + size <= bytes.Length) Write(bytes, at, value, size);
                return bytes;
            });
        }
    }

    /// <summary>Cuts a buffer to <c>Keep</c>/8 of its length (0 = empty).</summary>
    public sealed record ShrinkBuffer(int Node, int Buffer, int Keep) : Mutation(Node)
    {
        public override ArrayData Apply(ArrayData node) => WithBuffer(node, Buffer, bytes => bytes[..(bytes.Length * Keep / 8)]);
    }

    /// <summary>Removes a buffer, or adds an empty one.</summary>
    public sealed record BufferCount(int Node, int Buffer, bool Add) : Mutation(Node)
    {
        public override ArrayData Apply(ArrayData node)
        {
            var buffers = (node.Buffers ?? []).ToList();
            if (Add) buffers.Insert(Buffer % (buffers.Count + 1), ArrowBuffer.Empty);
            else if (buffers.Count > 0) buffers.RemoveAt(Buffer % buffers.Count);
            return Rebuild(node, buffers: [.. buffers]);
        }
    }

    /// <summary>Declares a null count (a wrong one, mostly).</summary>
    public sealed record SetNullCount(int Node, int Choice) : Mutation(Node)
    {
        public override ArrayData Apply(ArrayData node)
        {
            int[] choices = [-2, -1, 0, 1, node.Length, node.Length + 1, node.NullCount + 1, node.NullCount - 1, int.MaxValue, int.MinValue];
            return Rebuild(node, nullCount: choices[Choice % choices.Length]);
        }
    }

    /// <summary>Replaces the validity bitmap: shorter than the rows, all nulls, or absent.</summary>
    public sealed record ReplaceBitmap(int Node, int Choice) : Mutation(Node)
    {
        public override ArrayData Apply(ArrayData node)
        {
            var needed = (node.Offset + node.Length + 7) / 8;
            var bitmap = (Choice % 3) switch
            {
                0 => new ArrowBuffer(new byte[Math.Max(0, needed - 1 - Choice / 3 % 3)]),
                1 => new ArrowBuffer(new byte[needed]),
                _ => ArrowBuffer.Empty,
            };
            var buffers = (node.Buffers ?? [ArrowBuffer.Empty]).ToArray();
            if (buffers.Length > 0) buffers[0] = bitmap;
            return Rebuild(node, buffers: buffers);
        }
    }

    /// <summary>Changes the node's length or offset by <c>Delta</c> (its buffers and children unchanged).</summary>
    public sealed record Resize(int Node, int Delta, bool OfOffset) : Mutation(Node)
    {
        public override ArrayData Apply(ArrayData node) =>
            OfOffset ? Rebuild(node, offset: node.Offset + Delta) : Rebuild(node, length: node.Length + Delta);
    }

    /// <summary>Shortens, removes, duplicates or retypes a child, or puts a null in its place.</summary>
    public sealed record DamageChild(int Node, int Child, int Choice) : Mutation(Node)
    {
        public override ArrayData Apply(ArrayData node)
        {
            if (node.Children is not { Length: > 0 } children) return node;
            var list = children.ToList();
            var k = Child % list.Count;
            var child = list[k];
            switch (Choice % 5)
            {
                case 0: list[k] = Rebuild(child, length: Math.Max(0, child.Length - 1 - (Choice / 5 % 4))); break;
                case 1: list.RemoveAt(k); break;
                case 2: list.Add(child); break;
                case 3: list[k] = new Int64Array.Builder().AppendRange(Enumerable.Range(0, child.Length).Select(i => (long)i)).Build().Data; break;
                default: list[k] = null!; break;
            }

            return Rebuild(node, children: [.. list]);
        }
    }

    /// <summary>Shrinks the dictionary (so indices overrun it), removes it, or replaces it with one of another type.</summary>
    public sealed record DamageDictionary(int Node, int Choice) : Mutation(Node)
    {
        public override ArrayData Apply(ArrayData node)
        {
            if (node.Dictionary is not { } dictionary) return node;
            var damaged = (Choice % 3) switch
            {
                0 => dictionary.Slice(0, Math.Max(0, dictionary.Length - 1 - Choice / 3 % 3)),
                1 => null,
                _ => new BooleanArray.Builder().AppendRange(Enumerable.Repeat(true, dictionary.Length)).Build().Data,
            };
            return new ArrayData(node.DataType, node.Length, node.NullCount, node.Offset, node.Buffers, node.Children, damaged);
        }
    }

    /// <summary>Leaves the array alone but declares a batch length off by <c>Delta</c> (applied by the test, not here).</summary>
    public sealed record BatchLength(int Delta) : Mutation(0)
    {
        public override ArrayData Apply(ArrayData node) => node;
    }

    /// <summary>The array with <paramref name="mutation"/> applied to the node it names.</summary>
    public static ArrayData Apply(ArrayData root, Mutation mutation)
    {
        var target = mutation.Node % Count(root);
        return Replace(root, ref target, mutation);
    }

    /// <summary>Mutations, weighted towards the damage real files suffer (bytes and lengths) and the cases.</summary>
    public static Gen<Mutation> Mutations()
    {
        var node = Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(0, 64)));
        var buffer = Gen.Choose(0, 5);
        var position = Gen.Choose(0, 1 << 16);
        var interesting = Gen.Elements(-1L, 0L, 1L, 2L, 7L, 8L, 64L, 127L, 128L, 255L, 4096L, -8L, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue, 1L << 33);
        return Gen.Frequency(
            (6, from n in node from b in buffer from p in position from mask in Gen.Choose(1, 255) select (Mutation)new FlipByte(n, b, p, (byte)mask)),
            (6, from n in node from b in buffer from p in position from v in interesting from size in Gen.Elements(4, 8) select (Mutation)new WriteWord(n, b, p, v, size)),
            (3, from n in node from first in Gen.Elements(true, false) from distance in Gen.Elements(1, 2, 8, 1000, int.MaxValue / 2) select (Mutation)new OffsetOutOfRange(n, first, distance)),
            (3, from n in node from b in buffer from keep in Gen.Choose(0, 7) select (Mutation)new ShrinkBuffer(n, b, keep)),
            (1, from n in node from b in buffer from add in Gen.Elements(true, false) select (Mutation)new BufferCount(n, b, add)),
            (3, from n in node from c in Gen.Choose(0, 99) select (Mutation)new SetNullCount(n, c)),
            (2, from n in node from c in Gen.Choose(0, 99) select (Mutation)new ReplaceBitmap(n, c)),
            (2, from n in node from d in Gen.Elements(-3, -1, 1, 2, 9, 1000) from offset in Gen.Elements(true, false) select (Mutation)new Resize(n, d, offset)),
            (2, from n in node from k in Gen.Choose(0, 3) from c in Gen.Choose(0, 99) select (Mutation)new DamageChild(n, k, c)),
            (2, from n in node from c in Gen.Choose(0, 99) select (Mutation)new DamageDictionary(n, c)),
            (1, Gen.Elements(-2, -1, 1, 5).Select(d => (Mutation)new BatchLength(d))));
    }

    private static int Count(ArrayData node) =>
        1 + (node.Children ?? []).Sum(child => child is null ? 0 : Count(child)) + (node.Dictionary is null ? 0 : Count(node.Dictionary));

    private static ArrayData Replace(ArrayData node, ref int target, Mutation mutation)
    {
        if (target-- == 0) return mutation.Apply(node);
        if (node.Children is { } children)
        {
            for (var k = 0; k < children.Length; k++)
            {
                if (children[k] is null) continue;
                var replaced = Replace(children[k], ref target, mutation);
                if (!ReferenceEquals(replaced, children[k]))
                {
                    var copy = children.ToArray();
                    copy[k] = replaced;
                    return Rebuild(node, children: copy);
                }

                if (target < 0) return node;
            }
        }

        if (node.Dictionary is { } dictionary)
        {
            var replaced = Replace(dictionary, ref target, mutation);
            if (!ReferenceEquals(replaced, dictionary))
            {
                return new ArrayData(node.DataType, node.Length, node.NullCount, node.Offset, node.Buffers, node.Children, replaced);
            }
        }

        return node;
    }

    private static ArrayData Rebuild(ArrayData node, int? length = null, int? nullCount = null, int? offset = null, ArrowBuffer[]? buffers = null, ArrayData[]? children = null) =>
        new(node.DataType, length ?? node.Length, nullCount ?? node.NullCount, offset ?? node.Offset, buffers ?? node.Buffers, children ?? node.Children, node.Dictionary);

    private static void Write(byte[] bytes, int at, long value, int size)
    {
        if (size == 4) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), (int)value);
        else BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at), value);
    }

    private static ArrayData WithBuffer(ArrayData node, int index, Func<byte[], byte[]> change)
    {
        if (node.Buffers is not { Length: > 0 } buffers) return node;
        var k = index % buffers.Length;
        var copy = buffers.ToArray();
        copy[k] = new ArrowBuffer(change(buffers[k].Span.ToArray()));
        return Rebuild(node, buffers: copy);
    }
}
