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
        var errors = new List<RowError>();
        if (_error is not null && columns[_error] is StringArray serialized && serialized.NullCount < serialized.Length)
        {
            // Most errors repeat the one before (an empty window's Average): decoded once per run of equal errors.
            ReadOnlySpan<byte> previous = default;
            string type = "", message = "";
            for (var row = 0; row < serialized.Length; row++)
            {
                if (serialized.IsNull(row)) continue;
                var bytes = serialized.GetBytes(row);
                if (previous.IsEmpty || !bytes.SequenceEqual(previous))
                {
                    var error = System.Text.Encoding.UTF8.GetString(bytes);
                    var split = error.IndexOf('\n', StringComparison.Ordinal);
                    (type, message) = (error[..split], error[(split + 1)..]);
                    previous = bytes;
                }

                errors.Add(new RowError(row, type, message));
            }
        }

        var memory = new NativeBlockSet();
        aggregateMemory.MoveTo(memory);
        return new EvaluationResult(values, memory, errors, ExecutionMode.Compiled, TimeSpan.Zero);
    }
}
