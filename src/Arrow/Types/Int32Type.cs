namespace Dsl.Arrow.Types;

/// <summary>Signed 32-bit integers (Arrow <c>int32</c>, CLR <see cref="int"/>).</summary>
public sealed class Int32Type : IntegerType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly Int32Type Default = new();

    private Int32Type()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.Int32;

    /// <inheritdoc />
    public override string Name => "int32";

    /// <inheritdoc />
    public override int BitWidth => 32;

    /// <inheritdoc />
    public override bool IsSigned => true;
}
