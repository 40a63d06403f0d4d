using System.Linq.Expressions;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Runtime.Tests.Support;
using Dsl.TestSupport;
using Dsl.TestSupport.Relations;

namespace Dsl.Runtime.Tests.Relations;

/// <summary>A parent row: its key and the time it is computed for.</summary>
internal sealed record Parent(long Id, DateTime Now);

/// <summary>
/// Generated parents and related rows: row <c>i</c> belongs to parent <c>owners[i]</c> (an index; -1: the row has no key;
/// past the last parent: an orphan).
/// </summary>
internal sealed record Scenario(Parent[] Parents, Transaction[] Rows, int[] Owners)
{
    private long? KeyOf(int row) => Owners[row] < 0 ? null : Owners[row] < Parents.Length ? Parents[Owners[row]].Id : 100_000 + Owners[row];

    /// <summary>The rows of a parent in batch order, as LINQ sees its list online.</summary>
    public List<Transaction> RowsOf(long parent) => Rows.Where((_, i) => KeyOf(i) == parent).ToList();

    /// <summary>
    /// The rows a parent sees: their event time (<paramref name="eventTime"/>, <see cref="Transaction.At"/> when not given)
    /// at or before its Now and inside the window; a row whose event time is null is never seen.
    /// </summary>
    public List<Transaction> Visible(Parent parent, TimeSpan? window, Func<Transaction, DateTime?>? eventTime = null) => RowsOf(parent.Id)
        .Where(t => (eventTime ?? (row => row.At))(t) is { } at && at <= parent.Now && (window is not { } w || at.Ticks > parent.Now.Ticks - w.Ticks)).ToList();

    /// <summary>The parent batch (Id, Now) and the related batch (every member of the rows, UserId as the key).</summary>
    public (RecordBatch Parent, RecordBatch Related) Batches()
    {
        var parent = new RecordBatch(new Schema([new Field("Id", Int64Type.Default, false), new Field("Now", new TimestampType(TimeUnit.Microsecond, "UTC"), false)], null),
        [
            Column(typeof(long), Parents.Select(p => (object?)p.Id)),
            Column(typeof(DateTime), Parents.Select(p => (object?)p.Now)),
        ], Parents.Length);
        var related = new RecordBatch(new Schema(
        [
            new Field("Id", Int64Type.Default, false), new Field("UserId", Int64Type.Default, true), new Field("Amount", DoubleType.Default, false),
            new Field("Discount", DoubleType.Default, true), new Field("Quantity", Int32Type.Default, false), new Field("Cents", Int64Type.Default, false),
            new Field("Weight", FloatType.Default, false), new Field("Price", new Decimal128Type(38, 10), true),
            new Field("At", new TimestampType(TimeUnit.Microsecond, "UTC"), false), new Field("SettledAt", new TimestampType(TimeUnit.Microsecond, "UTC"), true),
            new Field("Merchant", StringType.Default, true),
        ], null),
        [
            Column(typeof(long), Rows.Select(t => (object?)t.Id)),
            Column(typeof(long), Rows.Select((_, i) => (object?)KeyOf(i))),
            Column(typeof(double), Rows.Select(t => (object?)t.Amount)),
            Column(typeof(double), Rows.Select(t => (object?)t.Discount)),
            Column(typeof(int), Rows.Select(t => (object?)t.Quantity)),
            Column(typeof(long), Rows.Select(t => (object?)t.Cents)),
            Column(typeof(float), Rows.Select(t => (object?)t.Weight)),
            Dsl.TestSupport.Columns.TestArrays.Array(new Decimal128Type(38, 10), Rows.Select(t => (object?)t.Price).ToArray()),
            Column(typeof(DateTime), Rows.Select(t => (object?)t.At)),
            Column(typeof(DateTime), Rows.Select(t => (object?)t.SettledAt)),
            Column(typeof(string), Rows.Select(t => (object?)t.Merchant)),
        ], Rows.Length);
        return (parent, related);
    }

    private static IArrowArray Column(Type type, IEnumerable<object?> values) => type == typeof(DateTime)
        ? Dsl.TestSupport.Columns.TestArrays.Array(new TimestampType(TimeUnit.Microsecond, "UTC"), values.ToArray())
        : Runtime.Tests.Support.Batches.Column(type, values);

    public override string ToString() =>
        $"parents [{string.Join(", ", Parents.Select(p => $"{p.Id}@{p.Now:O}"))}], rows [{string.Join(", ", Rows.Select((t, i) => $"{KeyOf(i)?.ToString() ?? "null"}:{t}"))}]";
}

/// <summary>Reads a feature's outcome for one row from a batch result or an online row.</summary>
internal static class ScenarioResults
{
    /// <summary>A named feature over a parent's related transactions as of its Now, optionally a window (the relation tests' definitions).</summary>
    public static (string Name, LambdaExpression Function, TimeSpan? Window) F<T>(
        string name, Expression<Func<IReadOnlyList<Transaction>, DateTime, T>> function, TimeSpan? window = null) => (name, function, window);

    public static Outcome Read(FeatureSetResult result, string feature, int row, Type type)
    {
        var error = result.Errors[feature].FirstOrDefault(e => e.Row == row);
        if (error is not null) return new Outcome(null, error.ExceptionType);
        var column = result.Output.Column(feature);
        return new Outcome(Batches.Value(column, row, type), null);
    }

    public static Outcome Read(FeatureRow row, string feature)
    {
        var error = row.Errors.FirstOrDefault(e => e.Feature == feature);
        return error is not null ? new Outcome(null, error.ExceptionType) : new Outcome(row[feature], null);
    }

    /// <summary>The plan of definitions over the <c>Transactions</c> relation (keyed by <c>UserId</c>, event time <c>At</c>) that read its rows and Now.</summary>
    public static FeaturePlan PlanOf(IEnumerable<(string Name, System.Linq.Expressions.LambdaExpression Function, TimeSpan? Window)> definitions) => FeaturePlan.Create(
        definitions.Select(d => new PlannedFeature(d.Name, FunctionCompiler.Compile(d.Function),
            new Dictionary<string, string> { ["rows"] = "Transactions", ["now"] = RelationInput.NowName }, d.Window)),
        [new RelationInput("Transactions", typeof(Transaction), ["Id"], ["UserId"], "At")]);

    /// <summary>
    /// Batch (on <paramref name="threads"/> threads, 64-row morsels, Now from the parents' column), fallback and
    /// LINQ-to-objects (each definition's function compiled, called with a parent's visible rows and its Now) agree on every
    /// parent and definition; asserts, and returns true for FsCheck.
    /// </summary>
    public static bool AgreeWithLinq(FeaturePlan plan, IReadOnlyList<(string Name, System.Linq.Expressions.LambdaExpression Function, TimeSpan? Window)> definitions,
        Delegate[] references, Scenario scenario, int threads)
    {
        var (parentBatch, relatedBatch) = scenario.Batches();
        var related = new Dictionary<string, RecordBatch> { ["Transactions"] = relatedBatch };
        using var batch = plan.Evaluate(parentBatch, new EvaluateOptions { NowColumn = "Now", Related = related, Threads = threads, MorselSize = 64 });
        using var fallback = plan.Evaluate(parentBatch, new EvaluateOptions { NowColumn = "Now", Related = related, Mode = EvaluationMode.Fallback, Threads = 1 });
        for (var p = 0; p < scenario.Parents.Length; p++)
        {
            var parent = scenario.Parents[p];
            for (var f = 0; f < definitions.Count; f++)
            {
                var (name, function, window) = definitions[f];
                var visible = scenario.Visible(parent, window);
                var expected = Outcome.Capture(() => references[f].DynamicInvoke(visible, parent.Now));
                var stored = expected.Threw ? expected : Outcome.Capture(() => OutputRepresentation.Of(expected.Value));
                var where = $"{name}, parent {parent.Id} (now {parent.Now:O}, {visible.Count} visible rows)";
                var actual = Read(batch, name, p, function.ReturnType);
                Assert.That(actual.Matches(stored), $"batch {where}: expected {stored}, got {actual}");
                var slow = Read(fallback, name, p, function.ReturnType);
                Assert.That(slow.Matches(stored), $"fallback {where}: expected {stored}, got {slow}");
            }
        }

        return true;
    }
}
