using System.Text.Json;
using System.Text.Unicode;
using Apache.Arrow;
using Dsl.Streams.Definition;

namespace Dsl.Streams.Parsing;

/// <summary>
/// Reads messages into the columns of a resolver's message type, one row per accepted message, and hands out each batch as an
/// Arrow <see cref="RecordBatch"/>. JSON is read from its UTF-8 bytes straight into the columns (no string or object per
/// message); a string message is copied whole into column <c>_</c>; a parse function's objects are written member by member.
/// A message that cannot be read leaves no row and returns the reason.
/// </summary>
internal sealed class MessageColumnsReader
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };
    private readonly ColumnBuffer[] _columns;
    private readonly Schema _schema;
    private readonly JsonObjectReader? _json;
    private readonly StringColumn? _whole;
    private readonly ObjectColumnWriter? _objects;

    public MessageColumnsReader(StreamResolver resolver)
    {
        _columns = resolver.Columns.Select(c => ColumnBuffer.For(c.Type)).ToArray();
        _schema = new Schema(resolver.Columns.Select((c, i) => new Field(c.Name, _columns[i].ArrowType, nullable: true)), null);
        if (resolver.MessageType == typeof(string)) _whole = (StringColumn)_columns[0];
        else if (resolver.ParseFunction is null) _json = new JsonObjectReader(resolver.Shape, _columns, "");
        else _objects = new ObjectColumnWriter(resolver.Shape, _columns);
    }

    /// <summary>The rows read since <see cref="Begin"/>.</summary>
    public int Rows { get; private set; }

    /// <summary>Starts a batch of at most <paramref name="capacity"/> rows.</summary>
    public void Begin(int capacity)
    {
        Rows = 0;
        foreach (var column in _columns) column.Reserve(capacity);
    }

    /// <summary>
    /// Reads <paramref name="json"/> (a JSON object, UTF-8) as the next row; null, or why it was not read. The scanner reads the
    /// common shape; whatever it declines is read by <see cref="Utf8JsonReader"/>, so values and errors are that reader's.
    /// </summary>
    public string? ReadJson(ReadOnlySpan<byte> json)
    {
        if (TryScanJson(json))
        {
            Rows++;
            return null;
        }
        return ReadJsonWithReader(json);
    }

    /// <summary>The scanner's path alone: whether it read <paramref name="json"/> into the current row (not yet counted).</summary>
    internal bool TryScanJson(ReadOnlySpan<byte> json)
    {
        var at = 0;
        JsonScanner.SkipWhitespace(json, ref at);
        if (JsonScanner.At(json, at) != (byte)'{' || !_json!.TryScan(json, ref at, Rows, depth: 0)) return false;
        JsonScanner.SkipWhitespace(json, ref at);
        return at == json.Length;
    }

    /// <summary>The reader's path alone (what the scanner declines): <paramref name="json"/> as the next row; null, or why it was not read.</summary>
    internal string? ReadJsonWithReader(ReadOnlySpan<byte> json)
    {
        string? problem;
        try
        {
            var reader = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(s_options));
            if (!reader.Read()) return "the message is empty";
            problem = _json!.Read(ref reader, Rows);
            if (problem is null && reader.Read()) problem = $"there is more after the object (at byte {reader.TokenStartIndex})";
        }
        catch (JsonException e)
        {
            problem = $"not valid JSON: {e.Message}";
        }
        catch (InvalidOperationException e)
        {
            // Unescaping a string (a name or a value) whose escapes are not valid UTF-16, such as a lone surrogate "\udc00".
            problem = $"not valid JSON text: {e.Message}";
        }
        return Finish(problem);
    }

    /// <summary>Reads a whole string message as the next row; null, or why not (it is not UTF-8).</summary>
    public string? ReadWhole(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8)) return "the message is not valid UTF-8 text";
        _whole!.SetUtf8(Rows, utf8);
        Rows++;
        return null;
    }

    /// <summary>Writes a parsed message object as the next row; null, or why not.</summary>
    public string? ReadObject(object message) => Finish(_objects!.Write(message, Rows));

    /// <summary>Whether messages are read as JSON (else whole, or through a parse function).</summary>
    public bool ReadsJson => _json is not null;

    /// <summary>The batch of the rows read since <see cref="Begin"/>.</summary>
    public RecordBatch Build() => new(_schema, _columns.Select(c => c.Build(Rows)), Rows);

    private string? Finish(string? problem)
    {
        if (problem is null)
        {
            Rows++;
            return null;
        }
        foreach (var column in _columns) column.Rollback(Rows);
        return problem;
    }
}
