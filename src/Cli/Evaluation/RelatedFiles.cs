using Apache.Arrow;

namespace Dsl.Cli.Evaluation;

/// <summary>
/// The related rows of each relation, read whole from the files <c>--related NAME=PATH</c> names (Arrow IPC or Parquet)
/// into one batch per relation. The files stay open until disposed: a memory-mapped IPC file's batches read its pages.
/// </summary>
internal sealed class RelatedFiles : IDisposable
{
    private readonly List<InputFile> _files = [];
    private readonly List<RecordBatch> _owned = [];

    /// <summary>Relation name (as given) → its rows.</summary>
    public Dictionary<string, RecordBatch> Batches { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads every <c>NAME=PATH</c>; a malformed option, a name given twice or an unreadable file is bad input.</summary>
    public static RelatedFiles Read(IEnumerable<string> options)
    {
        var files = new RelatedFiles();
        try
        {
            foreach (var option in options)
            {
                var equals = option.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0 || equals == option.Length - 1) throw CliException.BadInput($"--related expects RELATION=PATH, got '{option}'");
                var name = option[..equals];
                if (files.Batches.ContainsKey(name)) throw CliException.BadInput($"--related names relation '{name}' twice");
                files.Batches[name] = files.ReadWhole(option[(equals + 1)..]);
            }
            return files;
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    /// <summary>All batches of the file as one (a relation is joined to each parent batch whole).</summary>
    private RecordBatch ReadWhole(string path)
    {
        var file = InputFile.Open(Path.GetFullPath(path));
        _files.Add(file);
        var batches = file.Batches().ToList();
        _owned.AddRange(batches);
        if (batches.Count == 1) return batches[0];
        if (batches.Count == 0) throw CliException.BadInput($"cannot read related rows '{path}': the file holds no record batch (write one, even with no rows)");
        try
        {
            var columns = Enumerable.Range(0, file.Schema.FieldsList.Count)
                .Select(c => ArrowArrayConcatenator.Concatenate(batches.Select(b => b.Column(c)).ToList()))
                .ToArray();
            var whole = new RecordBatch(file.Schema, columns, batches.Sum(b => b.Length));
            _owned.Add(whole);
            return whole;
        }
        catch (Exception e) when (InputFile.IsReadFailure(e))
        {
            throw CliException.BadInput($"cannot read related rows '{path}': {e.Message}", e);
        }
    }

    public void Dispose()
    {
        foreach (var batch in _owned) batch.Dispose();
        foreach (var file in _files) file.Dispose();
    }
}
