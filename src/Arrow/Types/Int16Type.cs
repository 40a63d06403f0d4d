namespace Dsl.Arrow.Types;

/// <summary>Signed 16-bit integers (Arrow <c>int16</c>, CLR <see cref="short"/>).</summary>
public sealed class Int16Type : IntegerType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly Int16Type Default = new();

    private Int16Type()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.Int16;

    /// <inheritdoc />
    public override string Name => "int16";

    /// <inheritdoc />
    public override int BitWidth => 16;

    /// <inheritdoc />
    public override bool IsSigned => true;
}
