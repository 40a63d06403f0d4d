using Dsl.ArrowExtensions.Ipc;
using Dsl.ArrowExtensions.Memory;
using Dsl.ArrowExtensions.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.ArrowExtensions.Tests.Ipc;

/// <summary>
/// Bad input never crashes, hangs or allocates what it does not hold: valid files and streams (uncompressed, LZ4,
/// ZSTD; dictionaries, nested lists and structs, strings, nulls) damaged by flipped bits, overwritten words, smashed
/// length fields (message, body, batch, node and buffer lengths, compressed buffers' length prefixes, footer
/// blocks), truncation, insertion, deletion and splices, are read fully. The only outcomes allowed: a clean
/// <see cref="ArrowFormatException"/> or <see cref="NotSupportedException"/>, or batches whose every value reads
/// through Apache.Arrow's accessors and survives a write/read round trip unchanged.
/// </summary>
/// <remarks>
/// Each case runs on its own task with a deadline (a hang fails the test instead of stalling it), and its reading
/// allocates at most a small multiple of the input (managed: <see cref="GC.GetAllocatedBytesForCurrentThread"/>;
/// native: growth of <see cref="NativeBlock.LiveBytes"/> while the batches are held) — for compressed input, of the
/// input plus the decompressed size of the undamaged sample: no allocation follows a number the input merely states.
/// </remarks>
[NonParallelizable]
public class IpcCorruptionPropertyTests
{
    /// <summary>Per-read overhead independent of the input's size: exceptions with their stack traces, schema objects, codec state (~30 KiB measured).</summary>
    private const long FixedSlack = 64 << 10;

    /// <summary>
    /// Managed bytes per input byte (plus, for compressed input, per decompressed byte of the undamaged sample): the
    /// metadata is copied once, plus the objects describing what it holds. Measured beyond the fixed slack: under 1
    /// uncompressed, under 5 compressed.
    /// </summary>
    private const long ManagedPerInputByte = 8;

    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Test]
    public void FromMemory_DamagedFilesAndStreams_CleanErrorsOrConsistentReadsWithinBoundedMemory()
    {
        Collector.Settle();
        var liveBefore = NativeBlock.LiveBytes;
        var outcomes = new Dictionary<string, int>();
        var worst = new Dictionary<string, double>();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(10_000), Prop.ForAll(Arb.From(IpcCorruption.Cases()), corruption =>
        {
            var sample = IpcCorruption.Samples.Value[corruption.Sample % IpcCorruption.Samples.Value.Count];
            var reading = RunWithDeadline(corruption, () => IpcReading.Read(corruption.Apply()));
            CheckBounds(sample, reading, corruption, worst);
            outcomes[reading.Outcome] = outcomes.GetValueOrDefault(reading.Outcome) + 1;
        }));

        TestContext.Out.WriteLine(string.Join(", ", outcomes.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key}: {pair.Value}")));
        TestContext.Out.WriteLine("largest allocation per byte of input (plus, compressed, of decompressed sample) beyond the fixed slack: " + string.Join(", ", worst.Select(pair => $"{pair.Key} {pair.Value:F1}")));
        Assert.That(outcomes.Values.Sum(), Is.EqualTo(10_000));
        Assert.That(outcomes.GetValueOrDefault("read"), Is.GreaterThan(100), "some damage leaves readable data");
        Assert.That(outcomes.Keys.Count(key => key.StartsWith("format error", StringComparison.Ordinal) || key.StartsWith("invalid", StringComparison.Ordinal)), Is.GreaterThan(3));
        Collector.Settle();
        Assert.That(NativeBlock.LiveBytes, Is.LessThanOrEqualTo(liveBefore), "every native block went with its batches");
    }

    [Test]
    public void Open_DamagedFilesOnDisk_CleanErrorsOrConsistentReads()
    {
        var directory = Directory.CreateTempSubdirectory("dsl-corrupt-");
        try
        {
            var count = 0;
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb.From(IpcCorruption.Cases()), corruption =>
            {
                var path = Path.Combine(directory.FullName, $"{count++}.arrow");
                File.WriteAllBytes(path, corruption.Apply());
                RunWithDeadline(corruption, () => IpcReading.Open(path));
            }));
        }
        finally
        {
            Collector.Settle();
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public void Samples_Undamaged_ReadBackEqual()
    {
        foreach (var sample in IpcCorruption.Samples.Value)
        {
            Assert.That(IpcReading.Read(sample.Bytes).Outcome, Is.EqualTo("read"), sample.Name);
        }
    }

    private static T RunWithDeadline<T>(IpcCorruption.Case corruption, Func<T> read)
    {
        var task = Task.Run(read);
        if (!task.Wait(s_deadline)) Assert.Fail($"Reading did not finish in {s_deadline.TotalSeconds} s (a hang?): {corruption}");
        return task.Result;
    }

    private static void CheckBounds(IpcCorruption.Sample sample, IpcReading.Result reading, IpcCorruption.Case corruption, Dictionary<string, double> worst)
    {
        var decompressed = sample.Compression == ArrowCompression.None ? 0 : sample.Layout.DecompressedBytes;
        var budget = Math.Max(1, reading.InputLength + decompressed);
        var key = sample.Compression == ArrowCompression.None ? "uncompressed" : "compressed";
        worst[key + " managed"] = Math.Max(worst.GetValueOrDefault(key + " managed"), (double)(reading.ManagedBytes - FixedSlack) / budget);
        worst[key + " native"] = Math.Max(worst.GetValueOrDefault(key + " native"), (double)reading.NativeBytes / budget);
        Assert.That(reading.ManagedBytes, Is.LessThanOrEqualTo((ManagedPerInputByte * budget) + FixedSlack), $"managed allocation while reading {corruption}");
        var nativeLimit = sample.Compression == ArrowCompression.None ? 0 : (2 * decompressed) + (NativeBlock.Alignment * 2L * sample.Layout.BufferCount) + FixedSlack;
        Assert.That(reading.NativeBytes, Is.LessThanOrEqualTo(nativeLimit), $"native allocation while reading {corruption}");
    }
}
