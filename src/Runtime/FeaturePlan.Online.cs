using System.Linq.Expressions;
using Dsl.Runtime.Execution;

namespace Dsl.Runtime;

public sealed partial class FeaturePlan
{
    private readonly Lazy<RowPlan> _online;
    private readonly Type[] _acceptedInputTypes;

    /// <summary>
    /// The inputs the features read that no feature computes (the batch columns, or the online row's values), each
    /// once, in first-use order; a value type appears as <c>T?</c> since any input may be null.
    /// </summary>
    public IReadOnlyList<FunctionParameter> Inputs { get; }

    /// <summary>
    /// Evaluates every feature for one row without building an Arrow batch, through one compiled function that
    /// runs each compiled feature's IR inline (fallback features call their delegates). Null rules and
    /// error handling are the batch path's: a feature that throws is null and listed in <see cref="FeatureRow.Errors"/>.
    /// </summary>
    /// <param name="inputs">One value per <see cref="Inputs"/> entry, in that order.</param>
    /// <exception cref="ArgumentException">The count of inputs or an input's type does not match <see cref="Inputs"/>.</exception>
    public FeatureRow Invoke(params object?[] inputs)
    {
        OnlineInvoker.CheckArguments(Inputs, _acceptedInputTypes, inputs);
        var values = new object?[Features.Count];
        var errors = _online.Value.Run(inputs, values);
        return new FeatureRow(_online.Value.Names, values, errors is null ? [] : errors);
    }

    /// <summary>
    /// Compiles the typed online form of the plan: an evaluator that reads the inputs from the members of a
    /// <typeparamref name="TInput"/> and writes each feature into the member of a <typeparamref name="TOutput"/> of
    /// the same name, without boxing (see <see cref="FeatureRowEvaluator{TInput, TOutput}"/> for the member rules).
    /// Compile it once and keep it: each call compiles anew.
    /// </summary>
    /// <exception cref="ArgumentException">An input or feature has no matching member, or a member's type cannot hold it.</exception>
    public FeatureRowEvaluator<TInput, TOutput> CreateRowEvaluator<TInput, TOutput>()
    {
        var input = Expression.Parameter(typeof(TInput).MakeByRefType(), "input");
        var output = Expression.Parameter(typeof(TOutput).MakeByRefType(), "output");
        var steps = _fallbackSteps;
        var body = RowPlan.Body(this, steps,
            i => RowMembers.ReadInput(input, Inputs[i].Name, Inputs[i].Type),
            (feature, value, valid) => RowMembers.WriteFeature(output, Features[feature].Name, Features[feature].Function.ReturnType, value, valid));
        var run = Expression.Lambda<FeatureRowEvaluator<TInput, TOutput>.Run>(body, "featureRow", [input, output]).Compile();
        return new FeatureRowEvaluator<TInput, TOutput>(run);
    }

    /// <summary>
    /// Compiles the typed online form of the plan over an entity with relations (see
    /// <see cref="EntityFeatureEvaluator{TEntity, TOutput}"/>): inputs read from <typeparamref name="TEntity"/>'s members,
    /// each relation's rows from its property of the relation's name, features written into <typeparamref name="TOutput"/>
    /// (which may be <typeparamref name="TEntity"/>). Compile it once and keep it: each call compiles anew.
    /// </summary>
    /// <exception cref="ArgumentException">An input or feature has no matching member, or a member's type cannot hold it.</exception>
    public EntityFeatureEvaluator<TEntity, TOutput> CreateEntityEvaluator<TEntity, TOutput>()
        where TEntity : class
    {
        var entity = Expression.Parameter(typeof(TEntity), "entity");
        var now = Expression.Parameter(typeof(DateTime?), "now");
        var output = Expression.Parameter(typeof(TOutput).MakeByRefType(), "output");
        var scratch = Expression.Parameter(typeof(object[]), "scratch");
        var inputs = new Execution.Relations.EntityInputs(_relationInputs, entity, now, scratch);
        var body = RowPlan.Body(this, _fallbackSteps,
            i => inputs.Read(Inputs[i].Name, Inputs[i].Type),
            (feature, value, valid) => RowMembers.WriteFeature(output, Features[feature].Name, Features[feature].Function.ReturnType, value, valid));
        var run = Expression.Lambda<EntityFeatureEvaluator<TEntity, TOutput>.Run>(body, "entityFeatures", [entity, now, output, scratch]).Compile();
        return new EntityFeatureEvaluator<TEntity, TOutput>(run, inputs.NewScratch);
    }

    /// <summary>Evaluates one row given by input name (exact match first, then case-insensitive); a missing input is null.</summary>
    /// <exception cref="ArgumentException">An input's type does not match <see cref="Inputs"/>, or a name matches no input.</exception>
    public FeatureRow Invoke(IReadOnlyDictionary<string, object?> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var names = Inputs.Select(i => i.Name).ToArray();
        var ordered = new object?[names.Length];
        foreach (var (name, value) in inputs)
        {
            var index = ColumnNames.IndexOf(names, name);
            if (index < 0) throw new ArgumentException($"'{name}' is not an input of the plan; the inputs are {string.Join(", ", names)}.", nameof(inputs));
            ordered[index] = value;
        }
        return Invoke(ordered);
    }

    /// <summary>The external inputs of the steps, each once; readers of one input must agree on its type.</summary>
    private static FunctionParameter[] OnlineInputs(IReadOnlyList<PlannedFeature> features, PlanStep[] steps)
    {
        var computed = steps.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = new List<FunctionParameter>();
        foreach (var step in steps)
        {
            for (var k = 0; k < step.Parameters.Count; k++)
            {
                if (computed.Contains(step.Inputs[k])) continue;
                var type = step.Parameters[k].Type;
                var asInput = type.IsValueType && Nullable.GetUnderlyingType(type) is null ? typeof(Nullable<>).MakeGenericType(type) : type;
                var known = inputs.FirstOrDefault(i => i.Name == step.Inputs[k]);
                if (known is null) inputs.Add(new FunctionParameter(step.Inputs[k], asInput));
                else if (known.Type != asInput)
                    throw new ArgumentException(
                        $"Input '{step.Inputs[k]}' is read as {TypeNames.Display(known.Type)} by one feature and as {TypeNames.Display(type)} by feature '{step.Name}'.");
            }
        }
        return [.. inputs];
    }
}
