namespace Dsl.Arrow.Types;

/// <summary>Unsigned 16-bit integers (Arrow <c>uint16</c>, CLR <see cref="ushort"/>).</summary>
public sealed class UInt16Type : IntegerType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly UInt16Type Default = new();

    private UInt16Type()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.UInt16;

    /// <inheritdoc />
    public override string Name => "uint16";

    /// <inheritdoc />
    public override int BitWidth => 16;

    /// <inheritdoc />
    public override bool IsSigned => false;
}
