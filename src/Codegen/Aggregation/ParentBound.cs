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
        _started = Expression.Variable(typeof(bool), $"boundStarted{index}");
    }

    // The previous parent's instant and bound: parents usually share Now, and converting an instant costs 128-bit arithmetic.
    private readonly ParameterExpression _previousTicks;
    private readonly ParameterExpression _previous;

    // Whether some parent's bound was computed (then Scalar holds the first one).
    private readonly ParameterExpression _started;

    // The run's parent count, for the arrays allocated on first need.
    private Expression _count = Expression.Constant(0);

    public Expression Ticks { get; }

    /// <summary>
    /// Per parent of the run, the last raw timestamp at or before the instant — allocated only once a parent's bound
    /// differs from the first one's (with one Now for the batch it never is: a run's bounds cost no memory).
    /// </summary>
    public ParameterExpression Values { get; }

    /// <summary>
    /// Per parent of the run, the exception computing the instant threw (null: it did not), allocated at the first one;
    /// null when none threw, and no variable at all when the instant cannot throw.
    /// </summary>
    public ParameterExpression? Errors { get; }

    /// <summary>Whether every parent of the run has the same bound and none threw.</summary>
    public ParameterExpression Uniform { get; }

    /// <summary>The bound when <see cref="Uniform"/>.</summary>
    public ParameterExpression Scalar { get; }

    public IEnumerable<ParameterExpression> Variables => Errors is null
        ? [Values, Uniform, Scalar, _previousTicks, _previous, _started]
        : [Values, Errors, Uniform, Scalar, _previousTicks, _previous, _started];

    /// <summary>The bound of the parent at <paramref name="local"/>; <paramref name="uniform"/>: in a scan that runs only when every bound is uniform.</summary>
    public Expression Read(Expression local, bool uniform) => uniform ? Scalar : Expression.Condition(Uniform, Scalar, Expression.ArrayIndex(Values, local));

    /// <summary>The exception of the parent at <paramref name="local"/>, thrown, when computing its bound threw; else <paramref name="then"/>.</summary>
    public Expression ThrowIfFailed(Expression local, Expression then)
    {
        if (Errors is null) return then;
        var error = Expression.ArrayIndex(Errors, local);
        return Expression.Condition(
            Expression.AndAlso(Expression.NotEqual(Errors, Expression.Constant(null, typeof(Exception[]))), Expression.NotEqual(error, Expression.Constant(null, typeof(Exception)))),
            Expression.Throw(error, then.Type), then);
    }

    /// <summary>Starts the bounds of a run of <paramref name="count"/> parents (no memory yet).</summary>
    public IEnumerable<Expression> Allocate(Expression count)
    {
        _count = count;
        yield return Expression.Assign(Values, Expression.Constant(null, typeof(long[])));
        yield return Expression.Assign(_started, Expression.Constant(false));
        yield return Expression.Assign(Scalar, Expression.Constant(0L));
        if (Errors is not null) yield return Expression.Assign(Errors, Expression.Constant(null, typeof(Exception[])));
    }

    /// <summary>Computes the bound of the parent at <paramref name="local"/> (or keeps its exception).</summary>
    public Expression Compute(Expression local, Expression unit)
    {
        var ticks = Expression.Variable(typeof(long), "ticks");
        Expression store = Expression.Block(typeof(void), [ticks],
            Expression.Assign(ticks, Ticks),
            Expression.IfThen(Expression.OrElse(Expression.Not(_started), Expression.NotEqual(ticks, _previousTicks)),
                Expression.Block(Expression.Assign(_previousTicks, ticks), Expression.Assign(_previous, Expression.Call(s_last, ticks, unit)))),
            Expression.IfThenElse(Expression.Not(_started),
                Expression.Block(Expression.Assign(_started, Expression.Constant(true)), Expression.Assign(Scalar, _previous)),
                Expression.IfThenElse(Expression.NotEqual(Values, Expression.Constant(null, typeof(long[]))),
                    Expression.Assign(Expression.ArrayAccess(Values, local), _previous),
                    // The first parent whose bound differs: the parents before it had the first one's.
                    Expression.IfThen(Expression.NotEqual(_previous, Scalar), Expression.Block(
                        Expression.Assign(Values, Expression.Call(typeof(ParentBound), nameof(Spread), null, _count, local, Scalar)),
                        Expression.Assign(Expression.ArrayAccess(Values, local), _previous))))));
        if (Errors is null) return store;
        var exception = Expression.Variable(typeof(Exception), "exception");
        return Expression.TryCatch(Expression.Block(typeof(void), store),
            Expression.Catch(exception, Expression.Block(typeof(void),
                Expression.IfThen(Expression.Equal(Errors, Expression.Constant(null, typeof(Exception[]))),
                    Expression.Assign(Errors, Expression.NewArrayBounds(typeof(Exception), _count))),
                Expression.Assign(Expression.ArrayAccess(Errors, local), exception))));
    }

    /// <summary>
    /// Sets <see cref="Uniform"/> once every parent's bound is computed, and gives the parents an array of bounds when
    /// some threw while the others share one (a scan that is not uniform reads the array).
    /// </summary>
    public Expression Summarize()
    {
        var noValues = Expression.Equal(Values, Expression.Constant(null, typeof(long[])));
        return Expression.Block(
            Expression.Assign(Uniform, Errors is null ? noValues : Expression.AndAlso(noValues, Expression.Equal(Errors, Expression.Constant(null, typeof(Exception[]))))),
            Expression.IfThen(Expression.AndAlso(Expression.Not(Uniform), noValues),
                Expression.Assign(Values, Expression.Call(typeof(ParentBound), nameof(Spread), null, _count, _count, Scalar))));
    }

    /// <summary>Whether no parent's bound threw (so the scan may run without catching).</summary>
    public Expression NoneFailed() => Errors is null
        ? Expression.Constant(true)
        : Expression.Equal(Errors, Expression.Constant(null, typeof(Exception[])));

    /// <summary>An array of <paramref name="count"/> bounds whose first <paramref name="filled"/> are <paramref name="value"/>.</summary>
    public static long[] Spread(int count, int filled, long value)
    {
        var values = new long[count];
        values.AsSpan(0, filled).Fill(value);
        return values;
    }
}
