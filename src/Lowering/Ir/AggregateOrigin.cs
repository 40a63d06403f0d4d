using System.Reflection;

namespace Dsl.Lowering.Ir;

/// <summary>
/// The facts about where a <see cref="ListAggregateExpression"/> came from that change what it computes beyond its
/// kind and lambdas. All defaults describe a plain LINQ call on the source.
/// </summary>
/// <param name="NullSource">What a null source does (LINQ: <see cref="ArgumentNullException"/>; a loop: <see cref="NullReferenceException"/>; a span: empty).</param>
/// <param name="Skip">Leading elements not visited: a <c>for</c> loop starting at this index, or LINQ <c>Skip</c> with this constant.</param>
/// <param name="ChainedQuery">
/// True when a LINQ operator (<c>Where</c>, <c>Select</c>, <c>Skip</c>, <c>Distinct</c>) ran on the source before the
/// aggregate: that call checks the source for null before the aggregate's <see cref="ListAggregateExpression.Argument"/>
/// is evaluated; otherwise the argument is evaluated first (it is an argument of the same call).
/// </param>
/// <param name="LastScan">For <c>Last</c>/<c>LastOrDefault</c>: where LINQ looks for the last value.</param>
/// <param name="Method">For a statistic kind: the catalogue method whose code defines it.</param>
internal sealed record AggregateOrigin(
    ListNullSource NullSource = ListNullSource.ThrowsArgumentNull,
    int Skip = 0,
    bool ChainedQuery = false,
    LastScan LastScan = LastScan.Forward,
    MethodInfo? Method = null);
