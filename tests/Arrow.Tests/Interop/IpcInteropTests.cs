using System.Text.Json.Nodes;
using Dsl.ArrowExtensions.Ipc;
using Dsl.ArrowExtensions.Tests.Ipc;
using Dsl.ArrowExtensions.Tests.Support;

namespace Dsl.ArrowExtensions.Tests.Interop;

/// <summary>
/// Both directions against apache-arrow 21 (the npm package, run by interop.mjs): files and streams it writes are
/// read by <see cref="MappedArrowReader"/> with the values and nulls it reads itself; files and streams written by
/// <see cref="ArrowBatchWriter"/> (whole and sliced batches) are read by it with the same values. Node.js runs twice
/// for the whole fixture: once to write its files, once to read all of ours.
/// </summary>
[NonParallelizable]
public class IpcInteropTests
{
    /// <summary>The cases of interop.mjs (every type this library reads).</summary>
    private static readonly string[] s_cases = ["primitives", "strings", "large_strings", "temporal", "decimal", "nested", "dictionary", "metadata", "no_batches"];

    private static readonly string[] s_formats = ["arrow", "arrows"];

    private readonly Dictionary<string, JsonNode> _expectedSliced = [];
    private string _directory = "";
    private JsonObject _readByNode = [];

    private static IEnumerable<TestCaseData> Cases() =>
        s_cases.SelectMany(name => s_formats.Select(format => new TestCaseData(name, format).SetArgDisplayNames(name, format)));

    [OneTimeSetUp]
    public void WriteFilesBothWays()
    {
        _directory = Directory.CreateTempSubdirectory("dsl-arrow-interop-").FullName;
        NodeInterop.Write(_directory);
        foreach (var name in s_cases)
        {
            foreach (var format in s_formats)
            {
                using var reader = MappedArrowReader.Open(Path.Combine(_directory, $"{name}.{format}"));
                var batches = IpcSamples.ReadAll(reader);
                var sliced = batches.Select(batch => batch.Length < 2 ? batch.Slice(0, batch.Length) : batch.Slice(1, batch.Length - 2)).ToList();
                Write(Path.Combine(_directory, $"{name}.here.{format}"), format, reader.Schema, batches);
                Write(Path.Combine(_directory, $"{name}.sliced.{format}"), format, reader.Schema, sliced);
                _expectedSliced[$"{name}.sliced.{format}"] = ArrowJson.Describe(reader.Schema, sliced);
            }
        }

        _readByNode = NodeInterop.ReadAll(_directory);
    }

    [OneTimeTearDown]
    public void DeleteFiles()
    {
        Collector.Settle();
        Directory.Delete(_directory, recursive: true);
    }

    [TestCaseSource(nameof(Cases))]
    public void ApacheArrowOutput_OpenedHere_SameValuesAndNulls(string name, string format)
    {
        using var reader = MappedArrowReader.Open(Path.Combine(_directory, $"{name}.{format}"));

        AssertSameJson(ArrowJson.Describe(reader.Schema, IpcSamples.ReadAll(reader)), Expected(name, format));
    }

    [TestCase("primitives")]
    [TestCase("nested")]
    public void ApacheArrowOutput_ReadFromMemory_SameValuesAsMapped(string name)
    {
        using var reader = MappedArrowReader.FromMemory(File.ReadAllBytes(Path.Combine(_directory, $"{name}.arrow")));

        AssertSameJson(ArrowJson.Describe(reader.Schema, IpcSamples.ReadAll(reader)), Expected(name, "arrow"));
    }

    [TestCaseSource(nameof(Cases))]
    public void WrittenHere_ReadByApacheArrow_SameValuesAndNulls(string name, string format) =>
        AssertSameJson(ReadByNode($"{name}.here.{format}"), Expected(name, format));

    [TestCaseSource(nameof(Cases))]
    public void SlicedWrittenHere_ReadByApacheArrow_OnlyTheSlicedRows(string name, string format) =>
        AssertSameJson(ReadByNode($"{name}.sliced.{format}"), _expectedSliced[$"{name}.sliced.{format}"]);

    private static void Write(string path, string format, Schema schema, IEnumerable<RecordBatch> batches)
    {
        using var writer = ArrowBatchWriter.Create(path, schema, new ArrowWriteOptions { Format = format == "arrow" ? ArrowIpcFormat.File : ArrowIpcFormat.Stream });
        foreach (var batch in batches) writer.Write(batch);
    }

    private JsonNode ReadByNode(string file) =>
        _readByNode[file] ?? throw new AssertionException($"apache-arrow did not read {file}.");

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
