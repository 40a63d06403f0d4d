namespace Dsl.Lowering.Ir;

/// <summary>
/// The static types an aggregate may range over and their element types: <c>T[]</c>, <see cref="IEnumerable{T}"/>,
/// <see cref="IReadOnlyList{T}"/>, <see cref="IReadOnlyCollection{T}"/>, <see cref="IList{T}"/>,
/// <see cref="ICollection{T}"/> and <see cref="List{T}"/>. A function receives related rows (or a list column) as
/// one of these.
/// </summary>
internal static class SequenceTypes
{
    private static readonly Type[] s_interfaces =
    [
        typeof(IEnumerable<>), typeof(IReadOnlyList<>), typeof(IReadOnlyCollection<>), typeof(IList<>), typeof(ICollection<>), typeof(List<>),
    ];

    /// <summary>The element type of a sequence type, or null when <paramref name="type"/> is not one of them.</summary>
    public static Type? ElementTypeOf(Type type)
    {
        if (type.IsSZArray) return type.GetElementType();
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        return Array.IndexOf(s_interfaces, definition) >= 0 ? type.GetGenericArguments()[0] : null;
    }

    /// <summary>True for the BCL collection types whose own members (<c>Count</c>, the indexer) lowering reads.</summary>
    public static bool IsListLike(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
        && (definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IList<>)
            || definition == typeof(ICollection<>) || definition == typeof(List<>));
}
