namespace Dsl.Arrow.Types;

/// <summary>UTF-8 strings with 32-bit offsets (Arrow <c>utf8</c>).</summary>
public sealed class StringType : ArrowType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly StringType Default = new();

    private StringType()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.String;

    /// <inheritdoc />
    public override string Name => "utf8";
}
