namespace Dsl.Arrow.Types;

/// <summary>Days since 1970-01-01 as a 32-bit signed integer (Arrow <c>date32[day]</c>, CLR <see cref="DateOnly"/>).</summary>
public sealed class Date32Type : FixedWidthType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly Date32Type Default = new();

    private Date32Type()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.Date32;

    /// <inheritdoc />
    public override string Name => "date32";

    /// <inheritdoc />
    public override int BitWidth => 32;
}
