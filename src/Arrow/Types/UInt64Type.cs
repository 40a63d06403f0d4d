namespace Dsl.Arrow.Types;

/// <summary>Unsigned 64-bit integers (Arrow <c>uint64</c>, CLR <see cref="ulong"/>).</summary>
public sealed class UInt64Type : IntegerType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly UInt64Type Default = new();

    private UInt64Type()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.UInt64;

    /// <inheritdoc />
    public override string Name => "uint64";

    /// <inheritdoc />
    public override int BitWidth => 64;

    /// <inheritdoc />
    public override bool IsSigned => false;
}
