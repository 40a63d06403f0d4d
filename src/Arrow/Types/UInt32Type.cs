namespace Dsl.Arrow.Types;

/// <summary>Unsigned 32-bit integers (Arrow <c>uint32</c>, CLR <see cref="uint"/>).</summary>
public sealed class UInt32Type : IntegerType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly UInt32Type Default = new();

    private UInt32Type()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.UInt32;

    /// <inheritdoc />
    public override string Name => "uint32";

    /// <inheritdoc />
    public override int BitWidth => 32;

    /// <inheritdoc />
    public override bool IsSigned => false;
}
