namespace Dsl.Arrow.Types;

/// <summary>Signed 64-bit integers (Arrow <c>int64</c>, CLR <see cref="long"/>).</summary>
public sealed class Int64Type : IntegerType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly Int64Type Default = new();

    private Int64Type()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.Int64;

    /// <inheritdoc />
    public override string Name => "int64";

    /// <inheritdoc />
    public override int BitWidth => 64;

    /// <inheritdoc />
    public override bool IsSigned => true;
}
