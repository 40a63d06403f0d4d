using FsCheck;
using FsCheck.Fluent;
using Dsl.Arrow.Ipc;
using Dsl.Arrow.Memory;
using Dsl.Arrow.Tests.Interop;

namespace Dsl.Arrow.Tests.Ipc;

/// <summary>
/// Bad input never crashes: valid streams and files, damaged by flipped bits, overwritten words (FlatBuffers offsets,
/// lengths, buffer regions), truncation, splices from other samples, deleted and duplicated ranges, are read fully
/// (every value touched). The only outcomes allowed are a clean <see cref="ArrowFormatException"/> or
/// <see cref="NotSupportedException"/>, or a read whose data survives a write/read round trip unchanged; and no
/// native memory is leaked either way.
/// </summary>
[NonParallelizable]
public class IpcCorruptionPropertyTests
{
    private static readonly Lazy<IReadOnlyList<IpcCorruption.Sample>> s_samples = new(IpcCorruption.Samples);

    [Test]
    public void Read_CorruptedStreamsAndFiles_OnlyCleanErrorsOrConsistentReads()
    {
        var samples = s_samples.Value;
        var liveBefore = NativeMemoryOwner.LiveAllocations;
        var outcomes = new Dictionary<string, int>();

        var property = Prop.ForAll(
            Arb.From(IpcCorruption.Cases(samples.Count)),
            corruption =>
            {
                var outcome = IpcCorruption.ReadCorrupted(samples[corruption.Sample], corruption, mapped: false);
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(10_000).WithReplay(null), property);

        TestContext.Out.WriteLine(string.Join(", ", outcomes.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}: {pair.Value}")));
        Assert.That(outcomes.Values.Sum(), Is.GreaterThanOrEqualTo(10_000));
        Assert.That(outcomes.Keys, Has.Some.StartsWith("read"), "some corruptions leave readable data");
        Assert.That(outcomes.Keys, Has.Some.StartsWith("ArrowFormatException"), "most corruptions are detected");
        Assert.That(NativeMemoryOwner.LiveAllocations, Is.EqualTo(liveBefore), "no native memory leaked");
    }

    [Test]
    public void OpenMapped_CorruptedFiles_OnlyCleanErrorsOrConsistentReads()
    {
        var samples = s_samples.Value.Where(sample => sample.IsFile).ToList();
        var property = Prop.ForAll(
            Arb.From(IpcCorruption.Cases(samples.Count)),
            corruption => { IpcCorruption.ReadCorrupted(samples[corruption.Sample], corruption, mapped: true); });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Test]
    public void Samples_Undamaged_ReadBackEqual()
    {
        foreach (var sample in s_samples.Value)
        {
            Assert.That(IpcCorruption.ReadCorrupted(sample, new IpcCorruption.Case(0, []), mapped: false), Is.EqualTo("read"), sample.Name);
        }
    }
}
