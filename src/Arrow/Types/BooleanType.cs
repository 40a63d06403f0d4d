namespace Dsl.Arrow.Types;

/// <summary>Booleans, bit-packed LSB first (Arrow <c>bool</c>).</summary>
public sealed class BooleanType : FixedWidthType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly BooleanType Default = new();

    private BooleanType()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.Boolean;

    /// <inheritdoc />
    public override string Name => "bool";

    /// <inheritdoc />
    public override int BitWidth => 1;
}
