namespace Dsl.Arrow.Types;

/// <summary>
/// Exact decimals (Arrow <c>decimal128</c>): each value is a 16-byte little-endian two's complement integer, the
/// unscaled value, and means <c>unscaled × 10^-Scale</c>. <see cref="Precision"/> is the number of significant
/// decimal digits every value has at most (valid data has |unscaled| &lt; 10^Precision).
/// </summary>
public sealed class Decimal128Type : FixedWidthType
{
    /// <summary>The largest precision of a 128-bit decimal (10^38 - 1 is the largest 38-digit value that fits).</summary>
    public const int MaxPrecision = 38;

    /// <summary>The largest |scale| accepted: beyond it every valid value would be 0 or need more than 128 bits.</summary>
    public const int MaxScaleMagnitude = 38;

    /// <summary>Creates a decimal type.</summary>
    /// <param name="precision">Significant decimal digits, 1 to 38.</param>
    /// <param name="scale">Digits after the decimal point, -38 to 38 (negative: the unscaled value counts tens, hundreds...).</param>
    /// <exception cref="ArgumentOutOfRangeException">The precision or the scale is outside its range.</exception>
    public Decimal128Type(int precision, int scale)
    {
        if (precision is < 1 or > MaxPrecision)
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, $"A decimal128 precision is 1 to {MaxPrecision} digits.");
        }

        if (scale is < -MaxScaleMagnitude or > MaxScaleMagnitude)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"A decimal128 scale is -{MaxScaleMagnitude} to {MaxScaleMagnitude}.");
        }

        Precision = precision;
        Scale = scale;
    }

    /// <summary>The most significant decimal digits a value has.</summary>
    public int Precision { get; }

    /// <summary>The number of digits after the decimal point: a value is its unscaled integer × 10^-Scale.</summary>
    public int Scale { get; }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.Decimal128;

    /// <inheritdoc />
    public override string Name => "decimal128";

    /// <inheritdoc />
    public override int BitWidth => 128;

    /// <inheritdoc />
    public override bool Equals(IArrowType? other) => other is Decimal128Type d && d.Precision == Precision && d.Scale == Scale;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TypeId, Precision, Scale);

    /// <inheritdoc />
    public override string ToString() => $"decimal128({Precision}, {Scale})";
}
