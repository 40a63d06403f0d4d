using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Dsl.Arrow.Ipc;
using Dsl.Arrow.Tests.Interop;

namespace Dsl.Arrow.Tests.Ipc;

/// <summary>Valid IPC samples, the generator of damage to them, and the reader that must fail cleanly.</summary>
internal static class IpcCorruption
{
    /// <summary>A valid stream or file.</summary>
    public sealed record Sample(string Name, byte[] Bytes, bool IsFile);

    /// <summary>One way to damage bytes; positions are reduced modulo the input's length when applied.</summary>
    public abstract record Mutation
    {
        public abstract byte[] Apply(byte[] input, IReadOnlyList<Sample> samples);
    }

    public sealed record FlipBit(int Position, int Bit) : Mutation
    {
        public override byte[] Apply(byte[] input, IReadOnlyList<Sample> samples)
        {
            var output = (byte[])input.Clone();
            if (output.Length > 0)
            {
                output[Position % output.Length] ^= (byte)(1 << Bit);
            }

            return output;
        }
    }

    /// <summary>Overwrites a little-endian word of 4 or 8 bytes: where offsets, lengths and counts live.</summary>
    public sealed record OverwriteWord(int Position, long Value, int Size) : Mutation
    {
        public override byte[] Apply(byte[] input, IReadOnlyList<Sample> samples)
        {
            var output = (byte[])input.Clone();
            if (output.Length >= Size)
            {
                var at = (Position % (output.Length - Size + 1)) & ~3;
                if (Size == 4)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(output.AsSpan(at), (int)Value);
                }
                else
                {
                    BinaryPrimitives.WriteInt64LittleEndian(output.AsSpan(at), Value);
                }
            }

            return output;
        }
    }

    public sealed record Truncate(int Length) : Mutation
    {
        public override byte[] Apply(byte[] input, IReadOnlyList<Sample> samples) => input[..(Length % (input.Length + 1))];
    }

    /// <summary>Replaces a range with bytes of another sample (a schema/batch mismatch, foreign metadata).</summary>
    public sealed record Splice(int Position, int Source, int SourcePosition, int Length) : Mutation
    {
        public override byte[] Apply(byte[] input, IReadOnlyList<Sample> samples)
        {
            var source = samples[Source % samples.Count].Bytes;
            var from = SourcePosition % source.Length;
            var count = Math.Min(Length, source.Length - from);
            var at = input.Length == 0 ? 0 : Position % input.Length;
            return [.. input.AsSpan(0, at), .. source.AsSpan(from, count), .. input.AsSpan(Math.Min(input.Length, at + count))];
        }
    }

    public sealed record DeleteRange(int Position, int Length) : Mutation
    {
        public override byte[] Apply(byte[] input, IReadOnlyList<Sample> samples)
        {
            var at = input.Length == 0 ? 0 : Position % input.Length;
            return [.. input.AsSpan(0, at), .. input.AsSpan(Math.Min(input.Length, at + Length))];
        }
    }

    public sealed record DuplicateRange(int Position, int Length) : Mutation
    {
        public override byte[] Apply(byte[] input, IReadOnlyList<Sample> samples)
        {
            var at = input.Length == 0 ? 0 : Position % input.Length;
            var count = Math.Min(Length, input.Length - at);
            return [.. input.AsSpan(0, at + count), .. input.AsSpan(at)];
        }
    }

    /// <summary>One test case: a sample and the damage done to it, in order.</summary>
    public sealed record Case(int Sample, Mutation[] Mutations)
    {
        public override string ToString() => $"sample {Sample}: {string.Join("; ", Mutations.Select(m => m.ToString()))}";
    }

    public static Gen<Case> Cases(int sampleCount)
    {
        var position = Gen.Choose(0, 1 << 20);
        var interesting = Gen.Elements(-1L, 0L, 1L, 3L, 7L, 8L, 64L, 255L, 4096L, -8L, int.MaxValue, int.MinValue, 0x7FFF_FFF8L, uint.MaxValue, long.MaxValue, long.MinValue, 1L << 40);
        var mutation = Gen.Frequency(
            (4, position.SelectMany(p => Gen.Choose(0, 7), (p, bit) => (Mutation)new FlipBit(p, bit))),
            (4, position.SelectMany(p => interesting, (p, v) => (p, v)).SelectMany(pv => Gen.Elements(4, 8), (pv, size) => (Mutation)new OverwriteWord(pv.p, pv.v, size))),
            (2, position.SelectMany(p => Gen.Choose(-64, 64), (p, delta) => (Mutation)new OverwriteWord(p, delta, 4))),
            (1, position.Select(p => (Mutation)new Truncate(p))),
            (1, position.SelectMany(p => Gen.Choose(0, 1000), (p, s) => (p, s)).SelectMany(ps => Gen.Choose(1, 64), (ps, length) => (Mutation)new Splice(ps.p, ps.s, ps.p / 7, length))),
            (1, position.SelectMany(p => Gen.Choose(1, 24), (p, length) => (Mutation)new DeleteRange(p, length))),
            (1, position.SelectMany(p => Gen.Choose(1, 24), (p, length) => (Mutation)new DuplicateRange(p, length))));
        return Gen.Choose(0, sampleCount - 1).SelectMany(
            sample => Gen.Choose(1, 3).SelectMany(count => mutation.ArrayOf(count)),
            (sample, mutations) => new Case(sample, mutations));
    }

    /// <summary>
    /// Damages and reads a sample fully; returns the outcome ("read", or the clean exception's type name) and
    /// throws anything else (a crash the property reports).
    /// </summary>
    public static string ReadCorrupted(Sample sample, Case corruption, bool mapped)
    {
        var bytes = corruption.Mutations.Aggregate(sample.Bytes, (input, mutation) => mutation.Apply(input, Samples()));
        var path = mapped ? Path.Combine(Path.GetTempPath(), $"dsl-corrupt-{Guid.NewGuid():N}.arrow") : null;
        try
        {
            if (path is not null)
            {
                File.WriteAllBytes(path, bytes);
            }

            using IArrowReader reader = path is not null
                ? ArrowFileReader.OpenMapped(path)
                : sample.IsFile ? new ArrowFileReader(new MemoryStream(bytes)) : new ArrowStreamReader(new MemoryStream(bytes));
            ReadAllAndRoundTrip(reader);
            return "read";
        }
        catch (ArrowFormatException)
        {
            return nameof(ArrowFormatException);
        }
        catch (NotSupportedException)
        {
            return nameof(NotSupportedException);
        }
        finally
        {
            if (path is not null)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>
    /// Reads every batch touching every value, then checks that what the reader accepted is valid data: written
    /// again and read back, it is the same.
    /// </summary>
    private static void ReadAllAndRoundTrip(IArrowReader reader)
    {
        var batches = new List<RecordBatch>();
        try
        {
            while (reader.ReadNextRecordBatch() is { } batch)
            {
                batches.Add(batch);
            }

            var json = ArrowJson.Describe(reader.Schema, batches).ToJsonString();
            using var again = new ArrowStreamReader(new MemoryStream(IpcSamples.StreamBytes(reader.Schema, [.. batches])));
            var jsonAgain = IpcSamples.ReadAllAsJson(again).ToJsonString();
            if (json != jsonAgain)
            {
                throw new InvalidOperationException($"A corrupted input was accepted but does not survive a round trip:\n{json}\n{jsonAgain}");
            }
        }
        finally
        {
            batches.ForEach(batch => batch.Dispose());
        }
    }

    private static IReadOnlyList<Sample>? s_samples;

    public static IReadOnlyList<Sample> Samples()
    {
        if (s_samples is not null)
        {
            return s_samples;
        }

        using var small = IpcSamples.Batch(5, seed: 1);
        using var other = IpcSamples.Batch(9, seed: 2);
        using var empty = IpcSamples.Batch(0);
        using var wide = IpcSamples.Batch(20, seed: 3);
        using var sliced = wide.Slice(3, 11);
        using var nested = IpcSamples.NestedBatch(6, seed: 1);
        using var nestedSliced = nested.Slice(1, 4);
        var schema = IpcSamples.Schema;
        s_samples =
        [
            new("stream, one batch", IpcSamples.StreamBytes(schema, small), false),
            new("stream, three batches", IpcSamples.StreamBytes(schema, small, empty, other), false),
            new("stream, sliced batch", IpcSamples.StreamBytes(schema, sliced), false),
            new("stream, schema only", IpcSamples.StreamBytes(schema), false),
            new("file, one batch", IpcSamples.FileBytes(schema, other), true),
            new("file, three batches", IpcSamples.FileBytes(schema, small, other, empty), true),
            new("stream, dictionary/list/struct/temporal", IpcSamples.StreamBytes(IpcSamples.NestedSchema, nested, nestedSliced), false),
            new("file, dictionary/list/struct/temporal", IpcSamples.FileBytes(IpcSamples.NestedSchema, nestedSliced, nested), true),
        ];
        return s_samples;
    }
}
