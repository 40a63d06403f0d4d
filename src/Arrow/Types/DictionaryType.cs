namespace Dsl.Arrow.Types;

/// <summary>
/// Dictionary encoding: each row stores an integer index (<see cref="IndexType"/>) into a separate array of
/// distinct values (<see cref="ValueType"/>). <see cref="FixedWidthType.BitWidth"/> is the index width.
/// </summary>
public sealed class DictionaryType : FixedWidthType
{
    /// <summary>Creates a dictionary type.</summary>
    /// <param name="indexType">An integer type for the indices (Arrow tools write signed ones).</param>
    /// <param name="valueType">The type of the dictionary values.</param>
    /// <param name="isOrdered">Whether the order of the dictionary values is meaningful.</param>
    public DictionaryType(IArrowType indexType, IArrowType valueType, bool isOrdered)
    {
        ArgumentNullException.ThrowIfNull(indexType);
        ArgumentNullException.ThrowIfNull(valueType);
        if (indexType is not IntegerType integer)
        {
            throw new ArgumentException($"Dictionary indices must be an integer type, not {indexType}.", nameof(indexType));
        }

        IndexType = integer;
        ValueType = valueType;
        IsOrdered = isOrdered;
    }

    /// <summary>The integer type of the indices.</summary>
    public IntegerType IndexType { get; }

    /// <summary>The type of the dictionary values (what a decoded array holds).</summary>
    public IArrowType ValueType { get; }

    /// <summary>Whether the order of the dictionary values is meaningful.</summary>
    public bool IsOrdered { get; }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.Dictionary;

    /// <inheritdoc />
    public override string Name => "dictionary";

    /// <inheritdoc />
    public override int BitWidth => IndexType.BitWidth;

    /// <inheritdoc />
    public override bool Equals(IArrowType? other) =>
        other is DictionaryType d && d.IsOrdered == IsOrdered && d.IndexType.Equals(IndexType) && d.ValueType.Equals(ValueType);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TypeId, IndexType, ValueType, IsOrdered);

    /// <inheritdoc />
    public override string ToString() =>
        $"dictionary<values={ValueType}, indices={IndexType}, ordered={(IsOrdered ? "true" : "false")}>";
}
