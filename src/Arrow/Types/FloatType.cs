namespace Dsl.Arrow.Types;

/// <summary>IEEE 754 single precision (Arrow <c>float</c>, CLR <see cref="float"/>).</summary>
public sealed class FloatType : FloatingPointType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly FloatType Default = new();

    private FloatType()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.Float;

    /// <inheritdoc />
    public override string Name => "float";

    /// <inheritdoc />
    public override int BitWidth => 32;
}
