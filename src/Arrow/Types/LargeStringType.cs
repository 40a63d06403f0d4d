namespace Dsl.Arrow.Types;

/// <summary>UTF-8 strings with 64-bit offsets (Arrow <c>large_utf8</c>).</summary>
public sealed class LargeStringType : ArrowType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly LargeStringType Default = new();

    private LargeStringType()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.LargeString;

    /// <inheritdoc />
    public override string Name => "large_utf8";
}
