namespace Dsl.Arrow.Types;

/// <summary>Unsigned 8-bit integers (Arrow <c>uint8</c>, CLR <see cref="byte"/>).</summary>
public sealed class UInt8Type : IntegerType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly UInt8Type Default = new();

    private UInt8Type()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.UInt8;

    /// <inheritdoc />
    public override string Name => "uint8";

    /// <inheritdoc />
    public override int BitWidth => 8;

    /// <inheritdoc />
    public override bool IsSigned => false;
}
