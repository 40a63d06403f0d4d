namespace Dsl.Lowering.Ir;

/// <summary>
/// Which LINQ operators a pending query applied to its source, as far as they change how LINQ runs the aggregate
/// after them (which iterator class it builds): <c>Last</c> scans from the end only after the shapes noted.
/// </summary>
internal enum QueryShape
{
    /// <summary>No operator yet: the source itself (<c>Last(p)</c> scans an <see cref="IList{T}"/> from the end).</summary>
    Source,

    /// <summary><c>Skip(k)</c> on the source (<c>Last(p)</c> still scans an <see cref="IList{T}"/> from the end).</summary>
    Skipped,

    /// <summary>One or more <c>Where</c> on the source (<c>Last()</c> scans a <c>T[]</c>/<see cref="List{T}"/> from the end).</summary>
    Filtered,

    /// <summary><c>Where</c>s then <c>Select</c>s (<c>Last()</c> scans a <c>T[]</c>/<see cref="List{T}"/> from the end, selecting the match).</summary>
    FilteredThenSelected,

    /// <summary>Any other chain: every aggregate scans front to back.</summary>
    Other,
}
