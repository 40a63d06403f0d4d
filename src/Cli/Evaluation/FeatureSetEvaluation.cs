using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Ipc;
using Dsl.Runtime;
using Dsl.Runtime.Files;

namespace Dsl.Cli.Evaluation;

/// <summary>What <c>dsl eval --assembly … --feature-set …</c> was asked to do.</summary>
internal sealed record FeatureSetEvalRequest(
    CompiledFeatureSet Features, FileInfo Input, FileInfo Output, EvaluationMode Mode, int? Threads, ArrowCompression Compression,
    IReadOnlyList<string> Related, string? Now, string? NowColumn);

/// <summary>
/// Evaluates every computed feature of a feature set over an input file of entities (the parents), with each relation's
/// rows from its own file, as of <c>--now</c> or each row's <c>--now-column</c>. Writes the entity's key column(s) and the
/// Now column when present, one column per computed feature, and <c>error</c> (null, or <c>Feature: ExceptionType</c> for
/// each feature that failed on the row, joined by <c>; </c>). Every check a user can fail — an unknown or missing relation,
/// a bad or missing Now, a missing Now column — exits 2 before any row runs.
/// </summary>
internal static class FeatureSetEvaluation
{
    public static int Run(FeatureSetEvalRequest request)
    {
        var features = request.Features;
        if (request.Mode == EvaluationMode.Compiled && features.Verdicts.FirstOrDefault(v => !v.IsCompiled) is { } fellBack)
            throw new CliException(ExitCodes.NotCompiled, $"feature '{fellBack.Feature}' cannot be compiled: {fellBack.Reason}");
        var plans = features.Plan.DescribeRelations();
        var read = plans.SelectMany(p => p.Relations).DistinctBy(r => r.Name).ToArray();
        var readsNow = features.Plan.Inputs.Any(i => i.Name == RelationInput.NowName) || read.Any(r => r.EventTime is not null);

        using var related = RelatedFiles.Read(request.Related);
        CheckRelations(features, read, related.Batches.Keys);
        var now = ParseNow(request.Now);
        if (now is not null && request.NowColumn is not null) throw CliException.BadInput("give --now or --now-column, not both");
        if (readsNow && now is null && request.NowColumn is null)
        {
            var why = read.FirstOrDefault(r => r.EventTime is not null) is { } timed
                ? $"relation '{timed.Name}' has an event time ({timed.ElementType.Name}.{timed.EventTime})"
                : "they read F.Now";
            throw CliException.BadInput($"the features of {features.Set.Name} are computed as of a time ({why}): give --now TIME or --now-column COLUMN");
        }

        using var input = InputFile.Open(request.Input.FullName);
        int? nowColumn = request.NowColumn is null ? null : NowColumnOf(input.Schema, request.NowColumn, request.Input.FullName);
        var kept = features.Graph.Features.Where(f => f.IsPrimaryKey).Select(f => ColumnOf(input.Schema, f.Name)).OfType<int>()
            .Concat(nowColumn is { } n ? new[] { n } : []).Distinct().ToArray();
        if (features.Verdicts.Any(v => v.Feature == ErrorColumn)) throw CliException.BadInput($"a feature is named '{ErrorColumn}', the name of the error column");

        var options = new EvaluateOptions
        {
            Mode = request.Mode,
            Threads = request.Threads,
            Now = now,
            NowColumn = nowColumn is { } column ? input.Schema.FieldsList[column].Name : null,
            Related = related.Batches,
        };
        var rows = 0L;
        var elapsed = TimeSpan.Zero;
        var errors = features.Verdicts.ToDictionary(v => v.Feature, _ => 0L, StringComparer.Ordinal);
        BatchFileWriter? writer = null;
        try
        {
            foreach (var batch in input.Batches())
            {
                using (batch)
                using (var result = Evaluate(features, batch, options, request.Input.FullName))
                using (var errorColumn = ErrorArray(result, batch.Length))
                {
                    var fields = kept.Select(k => input.Schema.FieldsList[k]).Concat(result.Output.Schema.FieldsList).Append(new Field(ErrorColumn, StringType.Default, true));
                    var schema = new Schema(fields, null);
                    var current = writer ??= Guard(request.Output, () => BatchFiles.Create(request.Output.FullName, schema, compression: request.Compression));
                    // The batch borrows its arrays from the input, the result and the error column; they own them.
                    var output = new RecordBatch(schema, kept.Select(k => batch.Column(k)).Concat(result.Output.Arrays).Append(errorColumn), batch.Length);
                    Guard(request.Output, () => { current.Write(output); return 0; });
                    rows += batch.Length;
                    elapsed += result.Elapsed;
                    foreach (var (feature, featureErrors) in result.Errors) errors[feature] += featureErrors.Count;
                }
            }
        }
        finally
        {
            writer?.Dispose();
        }
        if (writer is null) throw CliException.BadInput($"cannot read input '{request.Input.FullName}': the file holds no record batch");

        var compiled = request.Mode == EvaluationMode.Fallback ? 0 : features.Verdicts.Count(v => v.IsCompiled);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"features={features.Verdicts.Count} compiled={compiled} rows={rows} errors={errors.Values.Sum()} ms={elapsed.TotalMilliseconds:0.###}"));
        foreach (var (feature, count) in errors.Where(e => e.Value > 0)) Console.Out.WriteLine($"  {feature}: {count} row error(s)");
        return ExitCodes.Success;
    }

    public const string ErrorColumn = "error";

    private static FeatureSetResult Evaluate(CompiledFeatureSet features, RecordBatch batch, EvaluateOptions options, string path)
    {
        try
        {
            return features.Evaluate(batch, options);
        }
        catch (ArrowExtensions.ArrowFormatException e)
        {
            throw CliException.BadInput($"cannot read input '{path}' or its related rows: {e.Message}", e);
        }
        catch (Exception e) when (e is ColumnBindingException or Runtime.Execution.Relations.RelationKeyException or ArgumentException)
        {
            // A missing or mistyped column of either file, a null or duplicate parent key, a Now column with nulls: the data's fault.
            throw CliException.BadInput(e.Message, e);
        }
    }

    /// <summary>Each --related name must name a relation of the set; each relation the features read must be given.</summary>
    private static void CheckRelations(CompiledFeatureSet features, IReadOnlyList<RelationInput> read, IEnumerable<string> given)
    {
        var relations = features.Graph.Relations.Select(r => r.Name).ToArray();
        foreach (var name in given)
        {
            if (!relations.Any(r => string.Equals(r, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw CliException.BadInput($"--related names '{name}', which is not a relation of {features.Set.EntityType.Name}; "
                    + (relations.Length == 0 ? "it has none" : $"its relations are {string.Join(", ", relations)}"));
            }
        }

        var missing = read.FirstOrDefault(r => !given.Any(g => string.Equals(g, r.Name, StringComparison.OrdinalIgnoreCase)));
        if (missing is not null)
        {
            var readers = features.Plan.DescribeRelations().Where(p => p.Relations.Contains(missing)).Select(p => p.Feature);
            throw CliException.BadInput($"features {string.Join(", ", readers)} read relation '{missing.Name}' ({missing.ElementType.Name} rows): give --related {missing.Name}=PATH");
        }
    }

    /// <summary>An ISO 8601 time (<c>2026-01-01T00:00:00Z</c>, <c>2026-01-01T02:00:00+02:00</c>, <c>2026-01-01</c>); without an offset it is UTC.</summary>
    internal static DateTime? ParseNow(string? text)
    {
        if (text is null) return null;
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd"];
        if (DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            return parsed.UtcDateTime;
        throw CliException.BadInput($"--now expects an ISO 8601 time such as 2026-01-01T00:00:00Z, got '{text}'");
    }

    private static int NowColumnOf(Schema schema, string name, string path)
    {
        var index = ColumnOf(schema, name)
            ?? throw CliException.BadInput($"--now-column '{name}' is not a column of '{path}'; its columns are {string.Join(", ", schema.FieldsList.Select(f => f.Name))}");
        var type = schema.FieldsList[index].DataType;
        if (type is not TimestampType)
            throw CliException.BadInput($"--now-column '{name}' is {ArrowExtensions.Types.ArrowTypes.Describe(type)}; it must be a timestamp");
        return index;
    }

    /// <summary>The column of that name, exactly, else the only one ignoring case (as features bind).</summary>
    private static int? ColumnOf(Schema schema, string name)
    {
        for (var i = 0; i < schema.FieldsList.Count; i++)
        {
            if (schema.FieldsList[i].Name == name) return i;
        }
        var loose = schema.FieldsList.Select((f, i) => (f, i)).Where(x => string.Equals(x.f.Name, name, StringComparison.OrdinalIgnoreCase)).ToArray();
        return loose.Length == 1 ? loose[0].i : null;
    }

    private static StringArray ErrorArray(FeatureSetResult result, int rows)
    {
        var texts = new List<string>?[rows];
        foreach (var (feature, featureErrors) in result.Errors)
        {
            foreach (var error in featureErrors) (texts[error.Row] ??= []).Add($"{feature}: {error.ExceptionType}");
        }
        return new StringArray.Builder().AppendRange(texts.Select(t => t is null ? null : string.Join("; ", t))).Build();
    }

    private static T Guard<T>(FileInfo output, Func<T> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ParquetSharp.ParquetException)
        {
            throw CliException.BadInput($"cannot write output '{output.FullName}': {e.Message}", e);
        }
    }
}
