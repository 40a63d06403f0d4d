namespace Dsl.Lowering.Ir;

/// <summary>
/// How LINQ looks for the last value taken (<see cref="ListAggregateKind.Last"/>, <see cref="ListAggregateKind.LastOrDefault"/>).
/// The direction decides which filter evaluations happen, which is observable only when the filter throws for some
/// element: LINQ scans an indexable source from the end and stops at the first match, and any other source from the
/// start. Which sources count as indexable depends on how the chain was written (measured on .NET 10).
/// </summary>
internal enum LastScan
{
    /// <summary>From the start, keeping the last value taken (a <c>Where</c> after <c>Select</c>, a predicate after <c>Where</c>/<c>Select</c>, a loop).</summary>
    Forward,

    /// <summary><c>source.Last(predicate)</c>: from the end when the runtime source is an <see cref="IList{T}"/>, else forward.</summary>
    BackwardOverIList,

    /// <summary><c>source.Where(p).Last()</c> (and <c>Where(p).Select(f)</c>): from the end when the runtime source is exactly a <c>T[]</c> or <see cref="List{T}"/>, else forward.</summary>
    BackwardOverArrayOrList,
}
