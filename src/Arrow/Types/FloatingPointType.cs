namespace Dsl.Arrow.Types;

/// <summary>An IEEE 754 floating-point type.</summary>
public abstract class FloatingPointType : FixedWidthType
{
}
