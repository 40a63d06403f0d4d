using System.Buffers.Binary;
using Dsl.ArrowExtensions.Ipc;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.ArrowExtensions.Tests.Ipc;

/// <summary>Valid IPC samples written by <see cref="ArrowBatchWriter"/>, and the damage done to them.</summary>
internal static class IpcCorruption
{
    /// <summary>A valid file or stream, with where its length fields are.</summary>
    public sealed record Sample(string Name, byte[] Bytes, ArrowCompression Compression, IpcLayout Layout)
    {
        public override string ToString() => $"{Name} ({Bytes.Length} bytes)";
    }

    /// <summary>One way to damage bytes; positions are reduced modulo the input's length when applied.</summary>
    public abstract record Mutation
    {
        public abstract byte[] Apply(byte[] input, Sample sample);
    }

    public sealed record FlipBit(int Position, int Bit) : Mutation
    {
        public override byte[] Apply(byte[] input, Sample sample)
        {
            var output = (byte[])input.Clone();
            if (output.Length > 0) output[Position % output.Length] ^= (byte)(1 << Bit);
            return output;
        }
    }

    /// <summary>Overwrites a little-endian word of 4 or 8 bytes anywhere: where offsets, lengths and counts may live.</summary>
    public sealed record OverwriteWord(int Position, long Value, int Size) : Mutation
    {
        public override byte[] Apply(byte[] input, Sample sample)
        {
            var output = (byte[])input.Clone();
            if (output.Length >= Size) Write(output, (Position % (output.Length - Size + 1)) & ~3, Value, Size);
            return output;
        }
    }

    /// <summary>
    /// Overwrites one length or count field of the sample (<see cref="IpcField"/>): with <c>Value</c>, or with its
    /// own value plus <c>Value</c> when <c>Relative</c> (off by a little: the hardest lies to spot).
    /// </summary>
    public sealed record SmashField(IpcField Field, int Index, long Value, bool Relative) : Mutation
    {
        public override byte[] Apply(byte[] input, Sample sample)
        {
            var positions = sample.Layout.Positions(Field);
            var size = IpcLayout.Size(Field);
            var output = (byte[])input.Clone();
            if (positions.Count == 0) return output;
            var at = positions[Index % positions.Count];
            if (at + size > output.Length) return output;
            var old = size == 4 ? BinaryPrimitives.ReadInt32LittleEndian(output.AsSpan(at)) : BinaryPrimitives.ReadInt64LittleEndian(output.AsSpan(at));
            Write(output, at, Relative ? old + Value : Value, size);
            return output;
        }
    }

    public sealed record Truncate(int Length) : Mutation
    {
        public override byte[] Apply(byte[] input, Sample sample) => input[..(Length % (input.Length + 1))];
    }

    /// <summary>Replaces a range with bytes of another sample (a schema/batch mismatch, foreign metadata).</summary>
    public sealed record Splice(int Position, int Source, int SourcePosition, int Length) : Mutation
    {
        public override byte[] Apply(byte[] input, Sample sample)
        {
            var source = Samples.Value[Source % Samples.Value.Count].Bytes;
            var from = SourcePosition % source.Length;
            var count = Math.Min(Length, source.Length - from);
            var at = input.Length == 0 ? 0 : Position % input.Length;
            return [.. input.AsSpan(0, at), .. source.AsSpan(from, count), .. input.AsSpan(Math.Min(input.Length, at + count))];
        }
    }

    public sealed record DeleteRange(int Position, int Length) : Mutation
    {
        public override byte[] Apply(byte[] input, Sample sample)
        {
            var at = input.Length == 0 ? 0 : Position % input.Length;
            return [.. input.AsSpan(0, at), .. input.AsSpan(Math.Min(input.Length, at + Length))];
        }
    }

    /// <summary>Inserts bytes: a copy of the range that follows (a repeated message part), or <c>Fill</c> bytes.</summary>
    public sealed record Insert(int Position, int Length, int Fill) : Mutation
    {
        public override byte[] Apply(byte[] input, Sample sample)
        {
            var at = input.Length == 0 ? 0 : Position % input.Length;
            var inserted = Fill < 0 ? input.AsSpan(at, Math.Min(Length, input.Length - at)).ToArray() : Enumerable.Repeat((byte)Fill, Length).ToArray();
            return [.. input.AsSpan(0, at), .. inserted, .. input.AsSpan(at)];
        }
    }

    /// <summary>One test case: a sample and the damage done to it, in order.</summary>
    public sealed record Case(int Sample, Mutation[] Mutations)
    {
        public override string ToString() => $"{Samples.Value[Sample % Samples.Value.Count]}: {string.Join("; ", Mutations.Select(m => m.ToString()))}";

        public byte[] Apply()
        {
            var sample = Samples.Value[Sample % Samples.Value.Count];
            return Mutations.Aggregate(sample.Bytes, (input, mutation) => mutation.Apply(input, sample));
        }
    }

    /// <summary>The valid samples: every format and codec, flat and nested data, dictionaries, nulls, empty and sliced batches.</summary>
    public static readonly Lazy<IReadOnlyList<Sample>> Samples = new(CreateSamples);

    public static Gen<Case> Cases()
    {
        var position = Gen.Choose(0, 1 << 20);
        var interesting = Gen.Elements(-1L, 0L, 1L, 3L, 7L, 8L, 64L, 255L, 4096L, -8L, int.MaxValue, int.MinValue, 0x7FFF_FFF8L, uint.MaxValue, long.MaxValue, long.MinValue, 1L << 40, 1L << 31);
        var smash =
            from field in Gen.Elements(Enum.GetValues<IpcField>())
            from index in Gen.Choose(0, 1000)
            from relative in Gen.Elements(false, true)
            from value in relative ? Gen.Elements(-9L, -8L, -1L, 1L, 2L, 8L, 9L, 64L, 1000L) : interesting
            select (Mutation)new SmashField(field, index, value, relative);
        var mutation = Gen.Frequency(
            (4, from p in position from bit in Gen.Choose(0, 7) select (Mutation)new FlipBit(p, bit)),
            (3, from p in position from v in interesting from size in Gen.Elements(4, 8) select (Mutation)new OverwriteWord(p, v, size)),
            (6, smash),
            (1, position.Select(p => (Mutation)new Truncate(p))),
            (1, from p in position from s in Gen.Choose(0, 1000) from length in Gen.Choose(1, 64) select (Mutation)new Splice(p, s, p / 7, length)),
            (1, from p in position from length in Gen.Choose(1, 24) select (Mutation)new DeleteRange(p, length)),
            (1, from p in position from length in Gen.Choose(1, 24) from fill in Gen.Elements(-1, 0, 0xFF) select (Mutation)new Insert(p, length, fill)));
        return from sample in Gen.Choose(0, 1000)
               from count in Gen.Frequency((6, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Constant(3)))
               from mutations in mutation.ArrayOf(count)
               select new Case(sample, mutations);
    }

    private static IReadOnlyList<Sample> CreateSamples()
    {
        var flat = IpcSamples.FlatBatch(20, seed: 3);
        var nested = IpcSamples.NestedBatch(9, seed: 1);
        RecordBatch[] flatBatches = [IpcSamples.FlatBatch(5, seed: 1), IpcSamples.FlatBatch(0), flat.Slice(3, 11)];
        RecordBatch[] nestedBatches = [nested, IpcSamples.NestedBatch(0), nested.Slice(1, 6)];
        var samples = new List<Sample>();
        foreach (var format in new[] { ArrowIpcFormat.Stream, ArrowIpcFormat.File })
        {
            foreach (var compression in new[] { ArrowCompression.None, ArrowCompression.Lz4, ArrowCompression.Zstd })
            {
                samples.Add(Make($"{format}, {compression}, flat", IpcSamples.FlatSchema, flatBatches, format, compression));
                samples.Add(Make($"{format}, {compression}, nested with dictionaries", IpcSamples.NestedSchema, nestedBatches, format, compression));
            }

            samples.Add(Make($"{format}, schema only", IpcSamples.NestedSchema, [], format, ArrowCompression.None));
        }

        return samples;
    }

    private static Sample Make(string name, Schema schema, RecordBatch[] batches, ArrowIpcFormat format, ArrowCompression compression)
    {
        var bytes = IpcSamples.Write(schema, batches, format, compression);
        return new Sample(name, bytes, compression, IpcLayout.Of(bytes));
    }

    private static void Write(byte[] output, int at, long value, int size)
    {
        if (size == 4) BinaryPrimitives.WriteInt32LittleEndian(output.AsSpan(at), (int)value);
        else BinaryPrimitives.WriteInt64LittleEndian(output.AsSpan(at), value);
    }
}
