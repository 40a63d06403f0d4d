using Apache.Arrow.Types;

namespace Dsl.Engine.Resolvers;

/// <summary>A column of a resolver's query and the feature it gives.</summary>
/// <param name="Column">The column's name in the query's result.</param>
/// <param name="Index">Its position in the query's result (from 0).</param>
/// <param name="Feature">The feature of the resolved entity it maps to (by the DSL's name rules).</param>
/// <param name="SourceType">The Arrow type the source gives.</param>
/// <param name="Type">The Arrow type in the resolver's results: <see cref="SourceType"/>, or the lossless widening the feature needs.</param>
public sealed record SqlOutputColumn(string Column, int Index, Feature Feature, IArrowType SourceType, IArrowType Type)
{
    /// <summary>Whether the values are widened on the way (<c>int32</c> for a <c>long</c> feature).</summary>
    public bool IsWidened => !ReferenceEquals(SourceType, Type);
}
