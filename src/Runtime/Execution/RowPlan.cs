using System.Linq.Expressions;
using Dsl.Codegen.Compilation;

namespace Dsl.Runtime.Execution;

/// <summary>
/// The online form of a feature plan: one compiled function of (inputs, values) that evaluates every feature of a
/// row in dependency order, each compiled feature's IR inlined with its parameters as typed locals (so a feature's
/// output reaches the features reading it unboxed), each fallback feature through its delegate.
/// </summary>
/// <remarks>
/// Invariant: per feature, the batch path's rules — a null input for a non-nullable value-type parameter makes
/// the feature null without evaluating it; a feature that throws is null and its error is recorded.
/// </remarks>
internal sealed class RowPlan
{
    private readonly Func<object?[], object?[], List<FeatureError>?> _run;

    private RowPlan(Func<object?[], object?[], List<FeatureError>?> run, IReadOnlyList<string> names)
    {
        _run = run;
        Names = names;
    }

    /// <summary>The feature names in definition order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Writes each feature's boxed value (definition order) into <paramref name="values"/>; returns the errors, or null.</summary>
    public List<FeatureError>? Run(object?[] inputs, object?[] values) => _run(inputs, values);

    /// <summary>Records <paramref name="failure"/> for <paramref name="feature"/>, creating the list on the first error.</summary>
    public static List<FeatureError> Record(List<FeatureError>? errors, string feature, Exception failure)
    {
        errors ??= [];
        errors.Add(new FeatureError(feature, failure.GetType().FullName ?? failure.GetType().Name, failure.Message));
        return errors;
    }

    /// <summary>Compiles the plan's <paramref name="steps"/> (the unoptimised, one-per-feature steps, in evaluation order).</summary>
    public static RowPlan Compile(FeaturePlan plan, PlanStep[] steps)
    {
        var inputs = Expression.Parameter(typeof(object?[]), "inputs");
        var values = Expression.Parameter(typeof(object?[]), "values");
        var body = Body(plan, steps,
            input => Expression.Convert(Expression.ArrayIndex(inputs, Expression.Constant(input)), plan.Inputs[input].Type),
            (feature, value, valid) => Expression.Assign(Expression.ArrayAccess(values, Expression.Constant(feature)),
                Expression.Condition(valid, Expression.Convert(value, typeof(object)), Expression.Constant(null))));
        var lambda = Expression.Lambda<Func<object?[], object?[], List<FeatureError>?>>(body, "featureRow", [inputs, values]);
        return new RowPlan(lambda.Compile(), plan.Features.Select(f => f.Name).ToArray());
    }

    /// <summary>
    /// The body of a row function over the plan's <paramref name="steps"/>: reads each input once
    /// (<paramref name="readInput"/>(i) gives input i as <see cref="FeaturePlan.Inputs"/>[i]'s type), runs the
    /// features in order with typed locals between them, hands each feature's (value, valid) pair to
    /// <paramref name="writeOutput"/> with the feature's index, and yields the error list (null when none failed).
    /// </summary>
    public static BlockExpression Body(FeaturePlan plan, PlanStep[] steps, Func<int, Expression> readInput,
        Func<int, ParameterExpression, ParameterExpression, Expression> writeOutput)
    {
        var errors = Expression.Variable(typeof(List<FeatureError>), "errors");
        var inputIndex = plan.Inputs.Select((p, i) => (p.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var outputs = new Dictionary<string, (ParameterExpression Value, ParameterExpression Valid)>(StringComparer.Ordinal);
        var variables = new List<ParameterExpression> { errors };
        var body = new List<Expression>();

        var inputLocals = plan.Inputs.Select((p, i) => Expression.Variable(p.Type, $"input{i}_{p.Name}")).ToArray();
        variables.AddRange(inputLocals);
        body.AddRange(inputLocals.Select((local, i) => Expression.Assign(local, readInput(i))));

        foreach (var step in steps)
        {
            var function = plan.Features[step.FeatureIndex].Function;
            var stored = Nullable.GetUnderlyingType(step.ReturnType) ?? step.ReturnType;
            var value = Expression.Variable(stored, $"{step.Name}_value");
            var valid = Expression.Variable(typeof(bool), $"{step.Name}_valid");
            variables.Add(value);
            variables.Add(valid);

            Expression? present = null;
            var arguments = new Expression[step.Parameters.Count];
            for (var k = 0; k < arguments.Length; k++)
            {
                var type = step.Parameters[k].Type;
                var (argument, isPresent) = outputs.TryGetValue(step.Inputs[k], out var producer)
                    ? FromOutput(producer.Value, producer.Valid, type, step, k)
                    : FromInput(inputLocals[inputIndex[step.Inputs[k]]], type);
                arguments[k] = argument;
                if (type.IsValueType && Nullable.GetUnderlyingType(type) is null)
                    present = present is null ? isPresent : Expression.AndAlso(present, isPresent);
            }

            var result = Expression.Variable(step.ReturnType, $"{step.Name}_result");
            // Invoking a lambda expression compiles inline, in its own scope: a function used by two features
            // brings its labels and parameters twice without clashing.
            var compute = function.Ir is { } ir
                ? Expression.Invoke(StackSpillGuard.Apply(ir), arguments)
                : Expression.Invoke(Expression.Constant(function.Original), arguments);
            var store = Expression.Block([result],
                Expression.Assign(result, compute),
                Expression.Assign(valid, IsNotNull(result)),
                Expression.Assign(value, Nullable.GetUnderlyingType(result.Type) is null ? result : Expression.Call(result, "GetValueOrDefault", null)));
            var failure = Expression.Variable(typeof(Exception), "failure");
            Expression evaluate = Expression.TryCatch(Expression.Block(typeof(void), store),
                Expression.Catch(failure, Expression.Block(typeof(void),
                    Expression.Assign(errors, Expression.Call(typeof(RowPlan), nameof(Record), null, errors, Expression.Constant(step.Name), failure)),
                    Expression.Assign(valid, Expression.Constant(false)))));
            body.Add(present is null ? evaluate : Expression.IfThen(present, evaluate));
            body.Add(writeOutput(step.FeatureIndex, value, valid));
            outputs[step.Name] = (value, valid);
        }
        body.Add(errors);
        return Expression.Block(variables, body);
    }

    private static Expression IsNotNull(Expression result) =>
        Nullable.GetUnderlyingType(result.Type) is not null ? Expression.Property(result, "HasValue")
        : result.Type.IsValueType ? Expression.Constant(true)
        : Expression.NotEqual(result, Expression.Constant(null, result.Type));

    /// <summary>A producer's (value, valid) pair as a parameter of <paramref name="type"/>, and whether it is present.</summary>
    private static (Expression Argument, Expression IsPresent) FromOutput(ParameterExpression value, ParameterExpression valid, Type type, PlanStep step, int k)
    {
        if (type == value.Type) return (value, valid); // a non-nullable value (read only when valid) or a reference (null when invalid)
        if (Nullable.GetUnderlyingType(type) == value.Type)
            return (Expression.Condition(valid, Expression.Convert(value, type), Expression.Default(type)), valid);
        throw new ArgumentException(
            $"Feature '{step.Name}': parameter '{step.Parameters[k].Name}' ({TypeNames.Display(type)}) reads feature '{step.Inputs[k]}' of type {TypeNames.Display(value.Type)}.");
    }

    /// <summary>
    /// An input local (of the plan's input type: <c>T?</c> for a value type, or a reference type) as a parameter of
    /// <paramref name="type"/> (the same type, or <c>T</c>, read only when present), and whether it is present.
    /// </summary>
    private static (Expression Argument, Expression IsPresent) FromInput(ParameterExpression input, Type type)
    {
        Expression isPresent = Nullable.GetUnderlyingType(input.Type) is not null
            ? Expression.Property(input, "HasValue")
            : Expression.NotEqual(input, Expression.Constant(null, input.Type));
        if (type == input.Type) return (input, isPresent);
        return (Expression.Call(input, "GetValueOrDefault", null), isPresent);
    }
}
