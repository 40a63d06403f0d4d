using Dsl.ArrowExtensions.Ipc;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.ArrowExtensions.Tests.Ipc;

/// <summary>
/// Reads possibly damaged IPC data fully with <see cref="MappedArrowReader"/> and classifies the outcome. Clean
/// errors are outcomes; any other exception escapes (the property reports it), and so does an accepted input whose
/// values cannot all be read or do not survive a write/read round trip.
/// </summary>
internal static class IpcReading
{
    /// <summary>
    /// The outcome (<c>read</c>, <c>invalid: rule</c>, <c>format error</c>, <c>not supported</c>) and what reading
    /// allocated: managed bytes on this thread, and native bytes still live while the batches were held.
    /// </summary>
    public sealed record Result(string Outcome, long InputLength, long ManagedBytes, long NativeBytes);

    public static Result Read(byte[] bytes) => Measure(bytes.Length, () => MappedArrowReader.FromMemory(bytes));

    public static Result Open(string path) => Measure(new FileInfo(path).Length, () => MappedArrowReader.Open(path));

    private static Result Measure(long inputLength, Func<MappedArrowReader> open)
    {
        var managedBefore = GC.GetAllocatedBytesForCurrentThread();
        var nativeBefore = NativeBlock.LiveBytes;
        Schema? schema = null;
        List<RecordBatch>? batches = null;
        string outcome;
        try
        {
            using var reader = open();
            schema = reader.Schema;
            batches = IpcSamples.ReadAll(reader);
            outcome = "read";
        }
        catch (ArrowValidationException exception)
        {
            outcome = "invalid: " + exception.Rule;
        }
        catch (ArrowFormatException)
        {
            outcome = "format error";
        }
        catch (NotSupportedException)
        {
            outcome = "not supported";
        }

        var managed = GC.GetAllocatedBytesForCurrentThread() - managedBefore;
        var native = NativeBlock.LiveBytes - nativeBefore;
        if (batches is not null) CheckReadable(schema!, batches);
        return new Result(outcome, inputLength, managed, native);
    }

    /// <summary>Every value reads, and the batches written again and read back are the same.</summary>
    private static void CheckReadable(Schema schema, List<RecordBatch> batches)
    {
        var values = IpcSamples.Render(batches);
        using var again = MappedArrowReader.FromMemory(IpcSamples.Write(schema, batches, ArrowIpcFormat.Stream));
        var valuesAgain = IpcSamples.Render(IpcSamples.ReadAll(again));
        if (values != valuesAgain)
        {
            throw new InvalidOperationException($"Damaged input was accepted but does not survive a round trip:\n{values}\n---\n{valuesAgain}");
        }
    }
}
