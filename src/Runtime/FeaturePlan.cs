using System.Diagnostics;
using System.Linq.Expressions;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;
using Dsl.ArrowExtensions.Memory;
using Dsl.ArrowExtensions.Types;
using Dsl.Codegen.Columns;
using Dsl.Runtime.Execution;

namespace Dsl.Runtime;

/// <summary>
/// Many features evaluated together over one batch: in dependency order (a feature whose parameter names another
/// feature reads that feature's output column), with costly subexpressions that several compiled features compute
/// from the same columns computed once, into a new batch of one column per feature.
/// </summary>
/// <remarks>
/// Build it once (<see cref="Create"/>) and evaluate many batches; it is thread-safe. A feature's row error makes
/// its value null for that row, and a feature reading it sees that null (the error is reported for the feature
/// that threw). Results equal evaluating each feature alone over a batch holding its inputs.
/// </remarks>
public sealed partial class FeaturePlan
{
    private readonly PlanStep[] _steps;
    private readonly PlanStep[] _fallbackSteps;
    private readonly Execution.Relations.RelationInputs _relationInputs;
    private readonly Execution.Relations.RelationAggregation _aggregation;
    private readonly Dictionary<int, Execution.Relations.AggregateRead> _aggregateReads;

    private FeaturePlan(IReadOnlyList<PlannedFeature> features, PlanStep[] steps, PlanStep[] fallbackSteps, IReadOnlyList<string> shared,
        Execution.Relations.RelationInputs relationInputs, Execution.Relations.RelationAggregation aggregation,
        Dictionary<int, Execution.Relations.AggregateRead>? aggregateReads = null)
    {
        Features = features;
        _relationInputs = relationInputs;
        _aggregation = aggregation;
        _steps = steps;
        _aggregateReads = aggregateReads ?? [];
        _fallbackSteps = fallbackSteps;
        SharedSubexpressions = shared;
        Inputs = OnlineInputs(features, fallbackSteps);
        _acceptedInputTypes = OnlineInvoker.AcceptedTypes(Inputs);
        _online = new(() => RowPlan.Compile(this, fallbackSteps));
    }

    /// <summary>How many aggregates over relations the plan computes by segmented aggregation (the rest run over materialized rows).</summary>
    internal int SegmentedAggregates => _aggregation.Count;

    /// <summary>The inputs the batch path's step for <paramref name="feature"/> reads (columns, features, synthetic relation inputs).</summary>
    internal IReadOnlyList<string> BatchInputsOf(string feature) => _steps.First(s => s.Name == feature).Inputs;

    /// <summary>The relation and Now inputs of the plan (for online callers that supply related rows as objects).</summary>
    internal Execution.Relations.RelationInputs RelationInputs => _relationInputs;

    /// <summary>The features in definition order (the order of the output columns).</summary>
    public IReadOnlyList<PlannedFeature> Features { get; }

    /// <summary>The feature names in evaluation (dependency) order.</summary>
    public IReadOnlyList<string> EvaluationOrder => _fallbackSteps.Select(s => s.Name).ToArray();

    /// <summary>The subexpressions computed once for several features, as text (<c>$shared0 = Math.Log(amount)</c>).</summary>
    public IReadOnlyList<string> SharedSubexpressions { get; }

    /// <summary>
    /// Orders the features, checks their references, and finds the subexpressions to share.
    /// </summary>
    /// <param name="features">The features.</param>
    /// <param name="relations">
    /// The relations parameters may read (a parameter whose target names a has-many relation reads each parent's related
    /// rows, one naming a has-one relation the row's related row or null); a parameter whose target is
    /// <see cref="RelationInput.NowName"/> reads <c>Now</c>.
    /// </param>
    /// <exception cref="ArgumentException">Two features share a name, features read each other in a cycle, or a parameter cannot read its relation.</exception>
    public static FeaturePlan Create(IEnumerable<PlannedFeature> features, IEnumerable<RelationInput>? relations = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        var relationInputs = new Execution.Relations.RelationInputs(relations ?? []);
        var list = features.ToArray();
        foreach (var feature in list)
        {
            ArgumentNullException.ThrowIfNull(feature, nameof(features));
            var unknown = feature.Bindings?.Keys.FirstOrDefault(b => feature.Function.Parameters.All(p => p.Name != b));
            if (unknown is not null)
                throw new ArgumentException($"Feature '{feature.Name}' binds '{unknown}', which is not one of its parameters ({string.Join(", ", feature.Function.Parameters.Select(p => p.Name))}).");
        }
        var order = FeatureGraph.Order(list);
        var names = list.Select(f => f.Name).ToArray();
        var inputs = list.Select(f => f.Function.Parameters.Select(p => InputName(f, p, names, relationInputs)).ToArray()).ToArray();
        for (var i = 0; i < inputs.Length; i++) CheckWindowApplies(list[i], inputs[i], relationInputs);

        var fallbackSteps = order.Select(i => PlanStep.ForFunction(list[i].Name, i, list[i].Function, inputs[i], ExecutionMode.Fallback)).ToArray();

        // Features over relations or Now read synthetic inputs; they are planned alone (no shared subexpressions).
        var compiled = order.Where(i => list[i].Function.Ir is not null && !inputs[i].Any(relationInputs.IsSynthetic)).ToArray();
        var hoisted = Execution.SharedSubexpressions.Hoist(
            compiled.Select(i => new Execution.SharedSubexpressions.Feature(list[i].Name, list[i].Function.Ir!,
                list[i].Function.Ir!.Parameters.Select((p, k) => (p, inputs[i][k])).ToDictionary(x => x.p, x => x.Item2))).ToArray(),
            CanMaterialize);
        var rewritten = compiled.Zip(hoisted.Rewritten).ToDictionary(x => x.First, x => x.Second);

        // Compiled features over relations: their aggregates move into segmented aggregation steps where they can.
        var planner = new Execution.Relations.AggregatePlanner(relationInputs);
        bool IsColumn(string input) => !relationInputs.IsSynthetic(input) && ColumnNames.IndexOf(names, input) < 0;
        var aggregated = order.Where(i => list[i].Function.Ir is not null && inputs[i].Any(input => relationInputs.RelationOf(input) is not null))
            .Select(i => (Index: i, Rewrite: planner.TryRewrite(list[i].Function.Ir!, inputs[i], list[i].Window, IsColumn)))
            .Where(x => x.Rewrite is not null)
            .ToDictionary(x => x.Index, x => x.Rewrite!.Value);

        // Compiled features over has-one relations: member reads become columns gathered by joined row where they can.
        foreach (var i in order.Where(i => list[i].Function.Ir is not null && !aggregated.ContainsKey(i) && inputs[i].Any(input => relationInputs.HasOneOf(input) is not null)))
        {
            if (Execution.Relations.HasOnePlanner.TryRewrite(list[i].Function.Ir!, inputs[i], relationInputs) is { } gathered) aggregated[i] = gathered;
        }

        var steps = new List<PlanStep>();
        var aggregateReads = new Dictionary<int, Execution.Relations.AggregateRead>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in order)
        {
            var feature = list[i];
            if (aggregated.TryGetValue(i, out var aggregates))
            {
                if (Execution.Relations.AggregateRead.Of(aggregates.Ir, aggregates.Inputs) is { } read) aggregateReads[steps.Count] = read;
                steps.Add(PlanStep.ForIr(feature.Name, i, aggregates.Ir, aggregates.Inputs, feature.Function.Options));
                continue;
            }

            if (!rewritten.TryGetValue(i, out var optimized))
            {
                steps.Add(PlanStep.ForFunction(feature.Name, i, feature.Function, inputs[i], feature.Function.Mode));
                continue;
            }
            if (ReferenceEquals(optimized.Ir, feature.Function.Ir))
            {
                steps.Add(PlanStep.ForFunction(feature.Name, i, feature.Function, inputs[i], ExecutionMode.Compiled));
                continue;
            }
            // A hidden step goes right before the first feature that reads it: its inputs are that feature's.
            foreach (var hidden in hoisted.Hidden.Where(h => optimized.ColumnOf.Values.Contains(h.Name) && placed.Add(h.Name)))
                steps.Add(PlanStep.ForIr(hidden.Name, -1, hidden.Ir, hidden.Ir.Parameters.Select(p => hidden.ColumnOf[p]).ToArray(), feature.Function.Options));
            steps.Add(PlanStep.ForIr(feature.Name, i, optimized.Ir, optimized.Ir.Parameters.Select(p => optimized.ColumnOf[p]).ToArray(), feature.Function.Options));
        }

        var shared = hoisted.Hidden.Select(h => $"{h.Name} = {Describe(h)}").ToArray();
        return new FeaturePlan(list, [.. steps], fallbackSteps, shared, relationInputs, new Execution.Relations.RelationAggregation([.. planner.Aggregates]), aggregateReads);
    }

    /// <summary>
    /// Evaluates every feature over <paramref name="batch"/>. <see cref="EvaluateOptions.Bindings"/> is ignored (each
    /// feature carries its own); mode, threads and morsel size apply to every feature.
    /// </summary>
    /// <exception cref="ColumnBindingException">A feature's input column is missing, ambiguous or of another type.</exception>
    /// <exception cref="ArrowValidationException">An input column is malformed; nothing was read from it.</exception>
    /// <exception cref="FunctionNotCompiledException"><see cref="EvaluationMode.Compiled"/> was requested and a feature fell back.</exception>
    public FeatureSetResult Evaluate(RecordBatch batch, EvaluateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        options ??= EvaluateOptions.Default;
        if (options.Mode == EvaluationMode.Compiled && Features.FirstOrDefault(f => f.Function.Mode == ExecutionMode.Fallback) is { } fellBack)
            throw new FunctionNotCompiledException($"feature '{fellBack.Name}': {fellBack.Function.FallbackReason}");
        var steps = options.Mode == EvaluationMode.Fallback ? _fallbackSteps : _steps;
        var threads = MorselScheduler.ThreadCount(options.Threads);
        var morselRows = MorselScheduler.MorselRows(options.MorselSize);

        var bound = BindFor(steps, batch, options);
        var sources = bound.Sources;
        var kernels = bound.Kernels;
        // Joining and reading related rows is evaluation work on either path (the segmented aggregation joins inside the clock
        // too), so the clock covers it: else row by row would look free of the join its compiled counterpart pays for.
        var clock = Stopwatch.StartNew();
        var synthetic = _relationInputs.Materialize(bound.Synthetic, batch, options, alsoNow: bound.NeedsNow);
        using var aggregateMemory = new NativeBlockSet();
        if (bound.Aggregates)
        {
            var now = synthetic.TryGetValue(RelationInput.NowName, out var nowColumn) ? (IArrowArray)nowColumn : null;
            foreach (var (name, column) in _aggregation.Run(batch, options, now, aggregateMemory, threads)) synthetic[name] = column;
        }

        var outputs = new object?[steps.Length];
        var results = new EvaluationResult?[steps.Length];
        try
        {
            for (var s = 0; s < steps.Length; s++)
            {
                if (ReferenceEquals(steps, _steps) && _aggregateReads.TryGetValue(s, out var read))
                {
                    // The feature is the aggregate: its column and errors, without a kernel that rethrows each error.
                    results[s] = read.Result(synthetic, aggregateMemory);
                    outputs[s] = results[s]!.Values;
                    continue;
                }

                var inputs = sources[s].Select((source, k) => source.Step >= 0 ? outputs[source.Step]!
                    : source.Column >= 0 ? batch.Column(source.Column) : SyntheticInput(synthetic[steps[s].Inputs[k]])).ToArray();
                results[s] = KernelRunner.Run(kernels[s], inputs, batch.Length, steps[s].Mode, threads, morselRows);
                outputs[s] = results[s]!.Values;
            }
            clock.Stop();

            var byFeature = new EvaluationResult[Features.Count];
            for (var s = 0; s < steps.Length; s++)
            {
                if (!steps[s].IsHidden) byFeature[steps[s].FeatureIndex] = results[s]!;
            }
            var schema = OutputSchema(byFeature);
            var output = new RecordBatch(schema, byFeature.Select(r => r.Values), batch.Length);
            var memory = new NativeBlockSet();
            foreach (var result in byFeature) result.Memory.MoveTo(memory);
            return new FeatureSetResult(batch, output, memory,
                Features.Select((f, i) => (f.Name, byFeature[i].Errors)).ToDictionary(x => x.Name, x => x.Errors, StringComparer.Ordinal),
                Features.Select((f, i) => (f.Name, byFeature[i].Mode)).ToDictionary(x => x.Name, x => x.Mode, StringComparer.Ordinal),
                clock.Elapsed);
        }
        finally
        {
            foreach (var result in results) result?.Dispose();
        }
    }

    /// <summary>
    /// What evaluating <paramref name="steps"/> over batches of one schema works out before any row is read: each parameter's source,
    /// the kernels for the inputs' types, the synthetic inputs to materialize. An online query evaluates batches of the same schema
    /// object again and again (one row each), so the last binding is kept and reused while the schema object is the same; the
    /// columns are validated on every call all the same (their buffers are new each time).
    /// </summary>
    private Binding BindFor(PlanStep[] steps, RecordBatch batch, EvaluateOptions options)
    {
        if (_lastBinding is { } last && ReferenceEquals(last.Steps, steps) && ReferenceEquals(last.Schema, batch.Schema))
        {
            foreach (var column in last.Validated) ArrowValidator.ValidateColumn(batch, column);
            return last;
        }
        var validated = new List<int>();
        var sources = Bind(steps, batch, options, _relationInputs, _aggregation, validated, out var inputTypes);
        var needed = steps.SelectMany(s => s.Inputs).ToArray();
        // Kernels are found (compiled on first use) before the clock starts, as CompiledFunction.Evaluate does.
        var kernels = steps.Select((step, s) => step.KernelFor(inputTypes[s])).ToArray();
        var aggregates = needed.Any(_aggregation.Produces);
        var binding = new Binding(steps, batch.Schema, sources, kernels, [.. needed.Where(_relationInputs.IsSynthetic)], aggregates,
            aggregates && _aggregation.NeedsNow, [.. validated]);
        // A has-one member's type comes from the related batch of each call: such a binding holds for that call only.
        if (!needed.Any(_relationInputs.TypeVaries)) _lastBinding = binding;
        return binding;
    }

    private volatile Binding? _lastBinding;

    /// <summary>
    /// The output's schema: the last one made while every feature's column has the same type object again (the usual case: the
    /// types are the Arrow singletons), since making a schema indexes its fields by name.
    /// </summary>
    private Schema OutputSchema(EvaluationResult[] byFeature)
    {
        if (_lastOutputSchema is { } last)
        {
            var same = true;
            for (var i = 0; i < byFeature.Length && same; i++) same = ReferenceEquals(last.FieldsList[i].DataType, byFeature[i].Values.Data.DataType);
            if (same) return last;
        }
        var schema = new Schema(Features.Select((f, i) => new Field(f.Name, byFeature[i].Values.Data.DataType, nullable: true)), null);
        _lastOutputSchema = schema;
        return schema;
    }

    private volatile Schema? _lastOutputSchema;

    /// <summary>A binding of steps to the columns of one schema (<see cref="BindFor"/>); immutable, shared by concurrent calls.</summary>
    private sealed record Binding(PlanStep[] Steps, Schema Schema, (int Step, int Column)[][] Sources, Codegen.IKernel[] Kernels, string[] Synthetic,
        bool Aggregates, bool NeedsNow, int[] Validated);

    /// <summary>A synthetic input as a kernel reads it: an aggregate's errors serialized as a string column, anything else as it is.</summary>
    private static object SyntheticInput(object input) => input is Execution.Relations.AggregateErrorColumn errors ? errors.Serialized() : input;

    /// <summary>
    /// Per step and parameter: the earlier step (index) or batch column (index) it reads, after type checks, and
    /// the Arrow type it reads (<paramref name="inputTypes"/>, per step and parameter).
    /// </summary>
    private static (int Step, int Column)[][] Bind(PlanStep[] steps, RecordBatch batch, EvaluateOptions options, Execution.Relations.RelationInputs relationInputs,
        Execution.Relations.RelationAggregation aggregation, List<int> validatedInOrder, out IArrowType[][] inputTypes)
    {
        var columnNames = batch.Schema.FieldsList.Select(f => f.Name).ToArray();
        var stepIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var validated = new HashSet<int>();
        var sources = new (int Step, int Column)[steps.Length][];
        inputTypes = new IArrowType[steps.Length][];
        for (var s = 0; s < steps.Length; s++)
        {
            var step = steps[s];
            sources[s] = new (int, int)[step.Parameters.Count];
            inputTypes[s] = new IArrowType[step.Parameters.Count];
            for (var k = 0; k < step.Parameters.Count; k++)
            {
                var parameter = step.Parameters[k];
                var input = step.Inputs[k];
                IArrowType type;
                if (stepIndex.TryGetValue(input, out var producer))
                {
                    sources[s][k] = (producer, -1);
                    type = steps[producer].OutputType;
                }
                else if (relationInputs.IsSynthetic(input))
                {
                    sources[s][k] = (-1, -1);
                    type = relationInputs.TypeOf(input, options);
                }
                else if (aggregation.Produces(input))
                {
                    sources[s][k] = (-1, -1);
                    type = aggregation.TypeOf(input);
                }
                else
                {
                    var column = ColumnNames.IndexOf(columnNames, input);
                    if (column < 0)
                    {
                        var why = column == ColumnNames.Ambiguous ? "matches several columns ignoring case" : "is not a column of the batch or a feature";
                        throw new ColumnBindingException(
                            $"Feature '{step.Name}': parameter '{parameter.Name}' ({TypeNames.Display(parameter.Type)}) reads '{input}', which {why}; " +
                            $"the batch's columns are {(columnNames.Length == 0 ? "none" : string.Join(", ", columnNames))}.",
                            parameter.Name, input, parameter.Type, null);
                    }
                    sources[s][k] = (-1, column);
                    type = batch.Schema.FieldsList[column].DataType;
                    if (validated.Add(column))
                    {
                        ArrowValidator.ValidateColumn(batch, column);
                        validatedInOrder.Add(column);
                    }
                }
                inputTypes[s][k] = type;
                if (!ColumnTypes.CanBind(type, parameter.Type))
                    throw new ColumnBindingException(
                        $"Feature '{step.Name}': parameter '{parameter.Name}' has type {TypeNames.Display(parameter.Type)}, but '{input}' has Arrow type {ArrowTypes.Describe(type)}.",
                        parameter.Name, input, parameter.Type, ArrowTypes.Describe(type));
            }
            stepIndex[step.Name] = s;
        }
        return sources;
    }

    /// <summary>
    /// A window selects related rows by their event time; a windowed feature that reads no has-many relation with an event
    /// time (say a list member whose element type is not an entity) would silently see every row in every window.
    /// </summary>
    private static void CheckWindowApplies(PlannedFeature feature, string[] inputs, Execution.Relations.RelationInputs relations)
    {
        if (feature.Window is not { } window || inputs.Any(input => relations.RowsOf(input) is { Relation.EventTime: not null })) return;
        throw new ArgumentException(
            $"Feature '{feature.Name}' has a window ({window}) but reads no has-many relation with an event time, so the window would select nothing. "
            + "Read the related rows through a relation (declare it with HasMany, or give the related type a [PrimaryKey]) whose rows have an [EventTime].");
    }

    /// <summary>The input a parameter reads: a feature's exact name when it names one, else the batch column name.</summary>
    private static string InputName(PlannedFeature feature, FunctionParameter parameter, IReadOnlyList<string> featureNames, Execution.Relations.RelationInputs relations)
    {
        var target = ColumnNames.TargetName(parameter, feature.Bindings);
        var index = ColumnNames.IndexOf(featureNames, target);
        if (index >= 0) return featureNames[index];
        try
        {
            return relations.InputFor(target, parameter.Type, feature.Window) ?? target;
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Feature '{feature.Name}', parameter '{parameter.Name}': {e.Message}", e);
        }
    }

    private static bool CanMaterialize(Type type)
    {
        try
        {
            return ColumnTypes.LayoutOf(ColumnTypes.ArrowTypeOf(type)).Encoding is ColumnEncoding.FixedWidth or ColumnEncoding.Bits or ColumnEncoding.Utf8;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    private static string Describe(Execution.SharedSubexpressions.Feature hidden)
    {
        var named = hidden.Ir.Parameters.ToDictionary(p => p, p => Expression.Parameter(p.Type, hidden.ColumnOf[p]));
        var body = new Renamer(named).Visit(hidden.Ir.Body)!;
        // Expression.ToString prints a shared node at every use, exponential in a DAG's depth; the IR printer names it once.
        bool shares = Lowering.Ir.IrMetrics.ReferenceCounts(body)
            .Any(node => node.Value > 1 && node.Key is not (ParameterExpression or ConstantExpression or DefaultExpression));
        return shares ? Lowering.Ir.IrPrinter.Print(Expression.Lambda(body, hidden.Ir.Parameters.Select(p => named[p]))) : body.ToString();
    }

    private sealed class Renamer(Dictionary<ParameterExpression, ParameterExpression> named) : Lowering.Ir.MemoizingVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => named.GetValueOrDefault(node, node);
    }
}
