namespace Dsl.Arrow.Types;

/// <summary>IEEE 754 double precision (Arrow <c>double</c>, CLR <see cref="double"/>).</summary>
public sealed class DoubleType : FloatingPointType
{
    /// <summary>The single instance of this type.</summary>
    public static readonly DoubleType Default = new();

    private DoubleType()
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.Double;

    /// <inheritdoc />
    public override string Name => "double";

    /// <inheritdoc />
    public override int BitWidth => 64;
}
