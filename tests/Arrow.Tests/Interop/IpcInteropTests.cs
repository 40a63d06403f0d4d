using System.Text.Json.Nodes;
using Dsl.Arrow.Ipc;

namespace Dsl.Arrow.Tests.Interop;

/// <summary>
/// Both directions against apache-arrow 21 (the npm package, run by interop.mjs): files and streams it writes
/// are read here with the values and nulls it reads itself; files and streams written here (whole and sliced
/// batches) are read by it with the same values.
/// </summary>
[NonParallelizable]
public class IpcInteropTests
{
    /// <summary>The cases of interop.mjs (every type this library reads).</summary>
    private static readonly string[] s_cases = ["primitives", "strings", "large_strings", "temporal", "decimal", "nested", "dictionary", "metadata", "no_batches"];

    private static readonly string[] s_formats = ["arrow", "arrows"];

    private string _directory = "";

    private static IEnumerable<TestCaseData> Cases() =>
        s_cases.SelectMany(name => s_formats.Select(format => new TestCaseData(name, format).SetArgDisplayNames(name, format)));

    [OneTimeSetUp]
    public void WriteApacheArrowFiles()
    {
        _directory = Path.Combine(Path.GetTempPath(), "dsl-arrow-interop-" + Guid.NewGuid().ToString("N"));
        NodeInterop.Write(_directory);
    }

    [OneTimeTearDown]
    public void DeleteFiles() => Directory.Delete(_directory, recursive: true);

    [TestCaseSource(nameof(Cases))]
    public void ApacheArrowOutput_ReadHere_SameValuesAndNulls(string name, string format)
    {
        var path = Path.Combine(_directory, $"{name}.{format}");

        using var reader = ArrowIpc.Open(path);
        AssertSameJson(Describe(reader), Expected(name, format));
    }

    [TestCase("primitives")]
    [TestCase("strings")]
    public void ApacheArrowFile_ReadFromUnmappedStream_SameValues(string name)
    {
        using var reader = new ArrowFileReader(File.OpenRead(Path.Combine(_directory, $"{name}.arrow")));

        AssertSameJson(Describe(reader), Expected(name, "arrow"));
    }

    [TestCaseSource(nameof(Cases))]
    public void WrittenHere_ReadByApacheArrow_SameValuesAndNulls(string name, string format)
    {
        using var reader = ArrowIpc.Open(Path.Combine(_directory, $"{name}.{format}"));
        var batches = ReadAll(reader);
        var output = Path.Combine(_directory, $"{name}.here.{format}");

        Write(output, format, reader.Schema, batches);

        AssertSameJson(NodeInterop.Read(output), Expected(name, format));
        batches.ForEach(batch => batch.Dispose());
    }

    [TestCaseSource(nameof(Cases))]
    public void SlicedWrittenHere_ReadByApacheArrow_OnlyTheSlicedRows(string name, string format)
    {
        using var reader = ArrowIpc.Open(Path.Combine(_directory, $"{name}.{format}"));
        var batches = ReadAll(reader);
        var sliced = batches.Select(batch => batch.Length < 2 ? batch.Slice(0, batch.Length) : batch.Slice(1, batch.Length - 2)).ToList();
        var output = Path.Combine(_directory, $"{name}.sliced.{format}");

        Write(output, format, reader.Schema, sliced);

        AssertSameJson(NodeInterop.Read(output), ArrowJson.Describe(reader.Schema, sliced));
        batches.Concat(sliced).ToList().ForEach(batch => batch.Dispose());
    }

    private static void Write(string path, string format, Schema schema, IEnumerable<RecordBatch> batches)
    {
        using var stream = File.Create(path);
        using ArrowStreamWriter writer = format == "arrow" ? new ArrowFileWriter(stream, schema) : new ArrowStreamWriter(stream, schema);
        foreach (var batch in batches)
        {
            writer.WriteRecordBatch(batch);
        }

        writer.WriteEnd();
    }

    private static List<RecordBatch> ReadAll(IArrowReader reader)
    {
        var batches = new List<RecordBatch>();
        while (reader.ReadNextRecordBatch() is { } batch)
        {
            batches.Add(batch);
        }

        return batches;
    }

    private static JsonNode Describe(IArrowReader reader)
    {
        var batches = ReadAll(reader);
        var json = ArrowJson.Describe(reader.Schema, batches);
        batches.ForEach(batch => batch.Dispose());
        return json;
    }

    private JsonNode Expected(string name, string format) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(_directory, $"{name}.{format}.json")))!;

    private static void AssertSameJson(JsonNode actual, JsonNode expected) =>
        Assert.That(
            JsonNode.DeepEquals(actual, expected),
            Is.True,
            $"expected (apache-arrow):\n{Shorten(expected)}\nactual:\n{Shorten(actual)}");

    private static string Shorten(JsonNode node)
    {
        var text = node.ToJsonString();
        return text.Length <= 4000 ? text : text[..4000] + "...";
    }
}
