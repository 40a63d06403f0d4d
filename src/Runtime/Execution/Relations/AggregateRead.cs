using System.Linq.Expressions;
using Apache.Arrow;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// A feature that is one aggregate and nothing else (<c>_.Transactions.Sum(t =&gt; t.Amount)</c>, each window of a windowed
/// definition): its values are the aggregate's column and its row errors the aggregate's, as running its IR over that
/// column would give — without a kernel that rethrows every error (an empty window's <c>Average</c> fails for most
/// parents of a short window).
/// </summary>
internal sealed class AggregateRead
{
    private readonly string _value;
    private readonly string? _error;

    private AggregateRead(string value, string? error)
    {
        _value = value;
        _error = error;
    }

    /// <summary>
    /// The read when the rewritten IR only returns an aggregate's value (or its outcome) and reads no input whose null would
    /// make the feature null (its other inputs are Now, never null, and aggregate columns); else null.
    /// </summary>
    public static AggregateRead? Of(LambdaExpression ir, IReadOnlyList<string> inputs)
    {
        var input = ir.Parameters.Select((p, k) => (p, inputs[k])).ToDictionary(x => x.p, x => x.Item2);
        if (inputs.Any(name => name != RelationInput.NowName && !name.StartsWith("$agg", StringComparison.Ordinal))) return null;
        switch (ir.Body)
        {
            case ParameterExpression value when value.Type == ir.ReturnType:
                return new AggregateRead(input[value], null);
            case MethodCallExpression { Method.DeclaringType: var type, Arguments: [ParameterExpression value, ParameterExpression error] } call
                when type == typeof(AggregateOutcome) && call.Type == ir.ReturnType:
                return new AggregateRead(input[value], input[error]);
            default:
                return null;
        }
    }

    /// <summary>The feature's result from the aggregate columns of this evaluation (their memory moves to the result).</summary>
    public EvaluationResult Result(IReadOnlyDictionary<string, object> columns, NativeBlockSet aggregateMemory)
    {
        var values = (IArrowArray)columns[_value];
        // The errors stay compact (an empty window's Average fails for most parents): each RowError is built when read.
        var errors = _error is not null && columns[_error] is AggregateErrorColumn failed ? failed.RowErrors() : [];
        var memory = new NativeBlockSet();
        aggregateMemory.MoveTo(memory);
        return new EvaluationResult(values, memory, errors, ExecutionMode.Compiled, TimeSpan.Zero);
    }
}
