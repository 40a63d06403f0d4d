namespace Dsl.Arrow.Types;

/// <summary>A type whose values occupy a fixed number of bits each in a single value buffer.</summary>
public abstract class FixedWidthType : ArrowType
{
    /// <summary>Bits per value (1 for booleans).</summary>
    public abstract int BitWidth { get; }
}
