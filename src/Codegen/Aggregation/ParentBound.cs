using System.Linq.Expressions;
using Dsl.ArrowExtensions;

namespace Dsl.Codegen.Aggregation;

/// <summary>
/// A per-parent instant the scan compares related rows' raw event times with — the parent's <c>Now</c> (visibility),
/// <c>Now − window</c>, or the element-independent side of a filter such as <c>t.At &gt; F.Now - TimeSpan.FromDays(30)</c> —
/// evaluated once per parent before the scan instead of once per related row, and kept as the last raw timestamp at or
/// before it (<see cref="TemporalConversions.LastTimestampAtOrBefore"/>), so a row is compared without converting its
/// timestamp. When every parent of a run has the same bound (one <c>Now</c> for the batch), the scan reads it from a local
/// instead of an array indexed by parent.
/// </summary>
/// <remarks>
/// A filter's side may throw (<c>DateTime − TimeSpan</c> below <see cref="DateTime.MinValue"/>). Its exception is kept per
/// parent and thrown where the comparison is evaluated — for the parent's first row that reaches it — so an aggregate
/// fails exactly when evaluating it row by row would: never for a parent with no rows.
/// </remarks>
internal sealed class ParentBound
{
    private static readonly System.Reflection.MethodInfo s_last = typeof(TemporalConversions).GetMethod(nameof(TemporalConversions.LastTimestampAtOrBefore))!;

    /// <param name="index">The bound's number in the kernel (names its locals).</param>
    /// <param name="ticks">The instant's .NET ticks for the parent in <c>scope.Parent</c> (a <see cref="long"/> expression).</param>
    /// <param name="mayThrow">Whether <paramref name="ticks"/> may throw.</param>
    public ParentBound(int index, Expression ticks, bool mayThrow)
    {
        Ticks = ticks;
        Values = Expression.Variable(typeof(long[]), $"bound{index}");
        Errors = mayThrow ? Expression.Variable(typeof(Exception[]), $"boundError{index}") : null;
        Uniform = Expression.Variable(typeof(bool), $"boundUniform{index}");
        Scalar = Expression.Variable(typeof(long), $"boundScalar{index}");
        _previousTicks = Expression.Variable(typeof(long), $"boundTicks{index}");
        _previous = Expression.Variable(typeof(long), $"boundLast{index}");
    }

    // The previous parent's instant and bound: parents usually share Now, and converting an instant costs 128-bit arithmetic.
    private readonly ParameterExpression _previousTicks;
    private readonly ParameterExpression _previous;

    public Expression Ticks { get; }

    /// <summary>Per parent of the run, the last raw timestamp at or before the instant.</summary>
    public ParameterExpression Values { get; }

    /// <summary>Per parent of the run, the exception computing the instant threw (null: it did not); null when it cannot throw.</summary>
    public ParameterExpression? Errors { get; }

    /// <summary>Whether every parent of the run has the same bound and none threw.</summary>
    public ParameterExpression Uniform { get; }

    /// <summary>The bound when <see cref="Uniform"/>.</summary>
    public ParameterExpression Scalar { get; }

    public IEnumerable<ParameterExpression> Variables => Errors is null
        ? [Values, Uniform, Scalar, _previousTicks, _previous]
        : [Values, Errors, Uniform, Scalar, _previousTicks, _previous];

    /// <summary>The bound of the parent at <paramref name="local"/>; <paramref name="uniform"/>: in a scan that runs only when every bound is uniform.</summary>
    public Expression Read(Expression local, bool uniform) => uniform ? Scalar : Expression.Condition(Uniform, Scalar, Expression.ArrayIndex(Values, local));

    /// <summary>The exception of the parent at <paramref name="local"/>, thrown, when computing its bound threw; else <paramref name="then"/>.</summary>
    public Expression ThrowIfFailed(Expression local, Expression then)
    {
        if (Errors is null) return then;
        var error = Expression.ArrayIndex(Errors, local);
        return Expression.Condition(Expression.NotEqual(error, Expression.Constant(null, typeof(Exception))), Expression.Throw(error, then.Type), then);
    }

    public IEnumerable<Expression> Allocate(Expression count)
    {
        yield return Expression.Assign(Values, Expression.NewArrayBounds(typeof(long), count));
        if (Errors is not null) yield return Expression.Assign(Errors, Expression.NewArrayBounds(typeof(Exception), count));
    }

    /// <summary>Computes the bound of the parent at <paramref name="local"/> (or keeps its exception).</summary>
    public Expression Compute(Expression local, Expression unit)
    {
        var ticks = Expression.Variable(typeof(long), "ticks");
        Expression store = Expression.Block(typeof(void), [ticks],
            Expression.Assign(ticks, Ticks),
            Expression.IfThen(Expression.OrElse(Expression.Equal(local, Expression.Constant(0)), Expression.NotEqual(ticks, _previousTicks)),
                Expression.Block(Expression.Assign(_previousTicks, ticks), Expression.Assign(_previous, Expression.Call(s_last, ticks, unit)))),
            Expression.Assign(Expression.ArrayAccess(Values, local), _previous));
        if (Errors is null) return store;
        var exception = Expression.Variable(typeof(Exception), "exception");
        return Expression.TryCatch(Expression.Block(typeof(void), store),
            Expression.Catch(exception, Expression.Block(typeof(void), Expression.Assign(Expression.ArrayAccess(Errors, local), exception))));
    }

    /// <summary>Sets <see cref="Uniform"/> and <see cref="Scalar"/> once every parent's bound is computed.</summary>
    public Expression Summarize() => Expression.Block(
        Expression.Assign(Uniform, Expression.Call(typeof(ParentBound), nameof(IsUniform), null, Values, Errors ?? (Expression)Expression.Constant(null, typeof(Exception[])))),
        Expression.Assign(Scalar, Expression.Condition(Expression.GreaterThan(Expression.ArrayLength(Values), Expression.Constant(0)),
            Expression.ArrayIndex(Values, Expression.Constant(0)), Expression.Constant(0L))));

    /// <summary>Whether no parent's bound threw (so the scan may run without catching).</summary>
    public Expression NoneFailed() => Errors is null
        ? Expression.Constant(true)
        : Expression.Call(typeof(ParentBound), nameof(NoErrors), null, Errors);

    public static bool IsUniform(long[] values, Exception[]? errors)
    {
        if (errors is not null && !NoErrors(errors)) return false;
        return values.Length == 0 || !values.AsSpan(1).ContainsAnyExcept(values[0]);
    }

    public static bool NoErrors(Exception[] errors)
    {
        foreach (var error in errors)
        {
            if (error is not null) return false;
        }

        return true;
    }
}
