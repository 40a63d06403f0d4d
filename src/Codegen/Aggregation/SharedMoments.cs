using System.Linq.Expressions;
using Dsl.Codegen.Compilation;
using Dsl.Lowering.Ir;

namespace Dsl.Codegen.Aggregation;

/// <summary>
/// One per-parent sum and count for the <c>Sum</c>, <c>Average</c> and <c>Count</c> of the same rows: a windowed definition's
/// spend, count and mean (and W5's three filtered aggregates) each kept their own state — 28 bytes and four updates per
/// visited row and window, where 16 bytes and two hold all three. The parents' state is what the scan waits on (hundreds of
/// thousands of parents miss the cache), so three windows' worth of it was 88 bytes per parent against 48.
/// </summary>
/// <remarks>
/// Exact: the shared state is <c>Average</c>'s (the sum starts from the first value, a count of the values). LINQ's
/// <c>Sum</c> of doubles starts from 0.0, and the two sums differ only in the sign of a zero — <c>Sum</c> = the average's sum
/// + 0.0 (−0.0 + 0.0 is +0.0; for any other value, and once any nonzero value is added, both sequences are equal) — so
/// <c>Sum</c> finishes as that. The count is the number of rows the filter takes (a non-nullable selector takes every one),
/// which is <c>Count</c>'s. Only aggregates over double values with the same window and a structurally equal filter (and
/// selector, for the sums) share, and only when nothing but the filter's event-time bound may throw (W5's
/// <c>t.At &gt; F.Now - 30 days</c>, for a Now near <see cref="DateTime.MinValue"/>): the same filter then fails for the same
/// parent at the same row in each, and the members take the owner's per-parent error with its sum and count.
/// </remarks>
internal static class SharedMoments
{
    /// <summary>Makes every group of two or more aggregates of <paramref name="steps"/> over the same rows share one sum and count.</summary>
    public static void Share(IReadOnlyList<AggregateSteps> steps)
    {
        var owners = new Dictionary<(TimeSpan?, StructuralKey?, StructuralKey?), AggregateSteps>();
        var groups = new Dictionary<AggregateSteps, List<AggregateSteps>>();
        foreach (var step in steps)
        {
            if (step.Moments is not { Counts: false } moments) continue;
            var key = (moments.Window, moments.Filter, moments.Selector);
            if (!owners.TryGetValue(key, out var owner)) groups[owners[key] = step] = [step];
            else groups[owner].Add(step);
        }

        foreach (var step in steps)
        {
            // A count joins the sums of the same rows (any selector: a non-nullable one takes every row the filter takes).
            if (step.Moments is not { Counts: true } moments) continue;
            var owner = groups.Keys.FirstOrDefault(o => o.Moments!.Window == moments.Window && Equals(o.Moments.Filter, moments.Filter));
            if (owner is not null) groups[owner].Add(step);
        }

        foreach (var (owner, members) in groups)
        {
            if (members.Count < 2) continue;
            foreach (var member in members) member.ShareMoments(owner);
        }
    }

    /// <summary>The structure of <paramref name="lambda"/> with the aggregate's outer parameters named by their parent column (null for no lambda).</summary>
    public static StructuralKey? KeyOf(LambdaExpression? lambda, SegmentedAggregate aggregate)
    {
        if (lambda is null) return null;
        // Outer parameters are identified by order of appearance in a structural key: two filters reading different parent
        // columns would match. Each becomes a named constant of its column (typed as the parameter; never compiled).
        var outer = aggregate.Outer.Keys.ToArray();
        var body = Lowering.Intrinsics.ParameterSubstitution.Replace(lambda.Body, outer,
            outer.Select(p => (Expression)Expression.Convert(Expression.Constant("parent column " + aggregate.Outer[p], typeof(object)), p.Type)).ToArray());
        return StructuralKey.Of(Expression.Lambda(body, lambda.Parameters));
    }
}

/// <summary>What identifies the rows an aggregate sums or counts: its window, filter and selector (null for a count).</summary>
internal sealed record MomentsKey(TimeSpan? Window, StructuralKey? Filter, StructuralKey? Selector, bool Counts);
