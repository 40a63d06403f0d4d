using System.Collections;

namespace Dsl.Engine.Planning;

/// <summary>Compares rows of values (keys, a query's given features) element by element, each with its own <c>Equals</c>.</summary>
internal sealed class ValuesComparer : IEqualityComparer<object?[]>
{
    public static ValuesComparer Instance { get; } = new();

    public bool Equals(object?[]? x, object?[]? y) => StructuralComparisons.StructuralEqualityComparer.Equals(x, y);

    public int GetHashCode(object?[] values) => StructuralComparisons.StructuralEqualityComparer.GetHashCode(values);
}
