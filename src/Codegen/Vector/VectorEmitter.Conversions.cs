using System.Linq.Expressions;

namespace Dsl.Codegen.Vector;

/// <summary>
/// Numeric conversions between lanes of any widths. Vector forms are used where they give exactly the bits of
/// the unchecked C# conversion (VectorWidthTests proves each): integer widening (sign- or zero-extension by
/// the source's signedness) and narrowing (truncation), float → double, double → float (IEEE rounding),
/// integer → double, and 4-byte integer → float. Conversions that would round twice in vector form
/// (long → float) and floating → integer conversions (whose out-of-range results are the runtime's) run per
/// lane through the scalar conversion itself.
/// </summary>
internal sealed partial class VectorEmitter
{
    private VectorValue Convert(VectorValue operand, Type target)
    {
        var from = operand.Type;
        if (from == target) return operand;
        var targetElement = Nullable.GetUnderlyingType(target) ?? target;
        if (Nullable.GetUnderlyingType(target) == from) return operand with { Type = target };
        if (Nullable.GetUnderlyingType(from) == target) return Unwrap(operand, target);
        if (operand.Element == typeof(bool) || targetElement == typeof(bool) || VectorTypes.IsTemporal(operand.Element) || VectorTypes.IsTemporal(targetElement)) throw new NotVectorizableException($"conversion from {from.Name} to {target.Name}");
        LaneElement(targetElement);
        var converted = ConvertLanes(operand.Values, operand.Element, targetElement);
        var result = new VectorValue(target, converted, operand.Valid, operand.Errors);
        if (Nullable.GetUnderlyingType(from) is not null && Nullable.GetUnderlyingType(target) is null) return Unwrap(result, target);
        return result;
    }

    /// <summary>Lanes holding values of <paramref name="from"/> converted to lanes holding values of <paramref name="to"/>.</summary>
    private Expression ConvertLanes(Expression values, Type from, Type to)
    {
        var fromLane = VectorTypes.LaneOf(from);
        var toLane = VectorTypes.LaneOf(to);
        bool fromFloat = VectorTypes.IsFloatingPoint(from), toFloat = VectorTypes.IsFloatingPoint(to);
        if (!fromFloat && !toFloat) return Let(IntegerToInteger(values, from, to), "convert");
        if (fromFloat && toFloat) return Let(VectorShape.Access(from == typeof(float) ? nameof(VectorAccess.Widen) : nameof(VectorAccess.Narrow), values), "convert");
        if (!fromFloat && to == typeof(double))
        {
            // 4-byte integers widen to 8 bytes first (exactly); every long and ulong converts as (double) does.
            var wide = VectorTypes.SizeOf(fromLane) == 8 ? values : IntegerToInteger(values, from, VectorTypes.IsUnsigned(from) ? typeof(ulong) : typeof(long));
            return Let(_shape.Call("ConvertToDouble", wide.Type.GetGenericArguments()[0], wide), "convert");
        }

        if (!fromFloat && VectorTypes.SizeOf(fromLane) == 4)
        {
            var lanes = VectorTypes.IsUnsigned(from) && !VectorTypes.IsSmallInteger(from) ? typeof(uint) : typeof(int);
            return Let(_shape.Call("ConvertToSingle", lanes, _shape.As(values, lanes)), "convert");
        }

        // Floating → integer: the JIT, given four scalar saturating conversions feeding Vector256.Create, emitted an
        // instruction this AVX-512 machine faults on (SIGILL, fuzz seed 42 program 40470: (long)(double)float?); the row
        // loop's scalar conversions are safe, so these conversions are not vectorized.
        if (fromFloat) throw new NotVectorizableException($"conversion from {from.Name} to {to.Name} (floating to integer)");
        return PerLane(toLane, scalars => Expression.Convert(Expression.Convert(scalars[0], from), to), values);
    }

    /// <summary>
    /// Unchecked integer conversion: widening extends by the source's signedness, narrowing truncates, and a
    /// 1- or 2-byte target keeps only its bits, re-extended into the int lane by its own signedness.
    /// </summary>
    private Expression IntegerToInteger(Expression values, Type from, Type to)
    {
        var fromLane = VectorTypes.LaneOf(from);
        var toLane = VectorTypes.LaneOf(to);
        int fromBytes = VectorTypes.SizeOf(fromLane), toBytes = VectorTypes.SizeOf(toLane);
        var result = values;
        if (fromBytes < toBytes) result = VectorShape.Access(nameof(VectorAccess.Widen), _shape.As(values, VectorTypes.IsUnsigned(from) ? typeof(uint) : typeof(int)));
        else if (fromBytes > toBytes) result = VectorShape.Access(nameof(VectorAccess.Narrow), _shape.As(values, typeof(long)));
        result = _shape.As(result, toLane);
        if (!VectorTypes.IsSmallInteger(to) || from == to) return result;
        int bits = to == typeof(sbyte) || to == typeof(byte) ? 8 : 16;
        if (VectorTypes.IsUnsigned(to))
        {
            return _shape.Call("BitwiseAnd", typeof(int), result, _shape.Splat(typeof(int), Expression.Constant((1 << bits) - 1)));
        }

        var shift = Expression.Constant(32 - bits);
        return _shape.Call("ShiftRightArithmetic", typeof(int), _shape.Call("ShiftLeft", typeof(int), result, shift), shift);
    }
}
