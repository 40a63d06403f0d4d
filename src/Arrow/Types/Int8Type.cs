namespace Dsl.Arrow.Types;

/// <summary>Signed 8-bit integers (Arrow <c>int8</c>, CLR <see cref="sbyte"/>).</summary>
public sealed class Int8Type : IntegerType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly Int8Type Default = new();

    private Int8Type()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.Int8;

    /// <inheritdoc />
    public override string Name => "int8";

    /// <inheritdoc />
    public override int BitWidth => 8;

    /// <inheritdoc />
    public override bool IsSigned => true;
}
