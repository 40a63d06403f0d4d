namespace Dsl.Arrow.Types;

/// <summary>A signed or unsigned integer type of 8, 16, 32 or 64 bits.</summary>
public abstract class IntegerType : FixedWidthType
{
    /// <summary>Whether values are two's-complement signed.</summary>
    public abstract bool IsSigned { get; }
}
