namespace Dsl.Arrow.Types;

/// <summary>Variable-length lists of one child type, with 32-bit offsets (Arrow <c>list</c>).</summary>
public sealed class ListType : NestedType
{
    /// <summary>Creates a list type whose child is <paramref name="valueField"/>.</summary>
    public ListType(Field valueField)
        : base([valueField ?? throw new ArgumentNullException(nameof(valueField))])
    {
    }

    /// <summary>Creates a list type whose nullable child field is named <c>item</c>, as Arrow tools do.</summary>
    public ListType(IArrowType valueType)
        : this(new Field("item", valueType ?? throw new ArgumentNullException(nameof(valueType)), nullable: true))
    {
    }

    /// <summary>The child field describing list elements.</summary>
    public Field ValueField => Fields[0];

    /// <summary>The element type.</summary>
    public IArrowType ValueDataType => ValueField.DataType;

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.List;

    /// <inheritdoc />
    public override string Name => "list";

    /// <inheritdoc />
    public override string ToString() =>
        ValueField.Name == "item" ? $"list<{ValueDataType}>" : $"list<{ValueField.Name}: {ValueDataType}>";
}
