namespace Dsl.Arrow.Types;

/// <summary>Variable-length byte strings with 32-bit offsets (Arrow <c>binary</c>).</summary>
public sealed class BinaryType : ArrowType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly BinaryType Default = new();

    private BinaryType()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.Binary;

    /// <inheritdoc />
    public override string Name => "binary";
}
