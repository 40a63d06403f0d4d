using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.Intrinsics;

namespace Dsl.Codegen.Vector;

/// <summary>
/// The vector width (256 or 512 bits) and processing lane size (4 or 8 bytes, the widest lane of the kernel) of
/// one vector kernel, and the reflection it needs to call the matching <c>Vector128</c>/<c>Vector256</c>/
/// <c>Vector512</c> APIs. A block holds <see cref="Lanes"/> rows; every value of the block has that many lanes,
/// so a 4-byte value in a kernel of 8-byte lanes lives in a vector half the width (e.g. <c>Vector128&lt;int&gt;</c>
/// beside <c>Vector256&lt;double&gt;</c>). Conditions and validity are lane masks of the processing lane size
/// (<c>ulong</c> or <c>uint</c> lanes); <see cref="MaskFor"/> and <see cref="ToMask"/> convert them to and from
/// masks of narrower values.
/// </summary>
internal sealed class VectorShape
{
    private static readonly MethodInfo[] s_accessMethods = typeof(VectorAccess).GetMethods(BindingFlags.Public | BindingFlags.Static);

    public VectorShape(int bits, int laneBytes)
    {
        if (bits is not (256 or 512) || laneBytes is not (4 or 8)) throw new ArgumentException($"No vector shape of {bits} bits with {laneBytes}-byte lanes.");
        Bits = bits;
        LaneBytes = laneBytes;
    }

    public int Bits { get; }

    public int LaneBytes { get; }

    public int Lanes => Bits / 8 / LaneBytes;

    /// <summary><c>Vector256</c> or <c>Vector512</c>: the static API class of processing-width vectors.</summary>
    public Type Api => ApiOf(MaskElement);

    /// <summary>The element of lane masks: <c>ulong</c> for 8-byte lanes, <c>uint</c> for 4-byte lanes.</summary>
    public Type MaskElement => LaneBytes == 8 ? typeof(ulong) : typeof(uint);

    public Type MaskType => Of(MaskElement);

    /// <summary>Bits of the vector holding <see cref="Lanes"/> lanes of <paramref name="element"/>.</summary>
    public int BitsOf(Type element) => Lanes * VectorTypes.SizeOf(element) * 8;

    /// <summary>The vector type of <see cref="Lanes"/> lanes of <paramref name="element"/>.</summary>
    public Type Of(Type element)
    {
        var vector = BitsOf(element) switch
        {
            128 => typeof(Vector128<>),
            256 => typeof(Vector256<>),
            _ => typeof(Vector512<>),
        };
        return vector.MakeGenericType(element);
    }

    /// <summary>The static API class for vectors of <paramref name="element"/> lanes.</summary>
    public Type ApiOf(Type element) => BitsOf(element) switch
    {
        128 => typeof(Vector128),
        256 => typeof(Vector256),
        _ => typeof(Vector512),
    };

    /// <summary>
    /// Calls a static method by name of the API class of <paramref name="element"/> vectors, instantiated for
    /// <paramref name="element"/> when generic.
    /// </summary>
    public Expression Call(string name, Type element, params Expression[] arguments) =>
        Expression.Call(Method(ApiOf(element), name, element, arguments.Select(a => a.Type).ToArray()), arguments);

    /// <summary>Calls an overload of a <see cref="VectorAccess"/> helper chosen by the argument types.</summary>
    public static Expression Access(string name, params Expression[] arguments)
    {
        var types = arguments.Select(a => a.Type).ToArray();
        var method = s_accessMethods.SingleOrDefault(m => m.Name == name && !m.IsGenericMethodDefinition && m.GetParameters().Select(p => p.ParameterType).SequenceEqual(types))
            ?? throw new NotVectorizableException($"VectorAccess.{name}({string.Join(", ", types.Select(t => t.Name))}) does not exist");
        return Expression.Call(method, arguments);
    }

    /// <summary>Reinterprets a vector as a vector of <paramref name="to"/> lanes (same total width).</summary>
    public Expression As(Expression vector, Type to)
    {
        var from = vector.Type.GetGenericArguments()[0];
        if (from == to) return vector;
        var api = ApiOf(from);
        var method = api.GetMethods().Single(m => m.Name == "As" && m.GetGenericArguments().Length == 2).MakeGenericMethod(from, to);
        return Expression.Call(method, vector);
    }

    /// <summary>The processing-width lane mask <paramref name="mask"/> as a mask over vectors of <paramref name="element"/>.</summary>
    public Expression MaskFor(Expression mask, Type element)
    {
        if (VectorTypes.SizeOf(element) == LaneBytes) return As(mask, element);
        return As(Access(nameof(VectorAccess.NarrowMask), mask), element);
    }

    /// <summary>A comparison result (all-ones or zero lanes) of any element as a processing-width lane mask.</summary>
    public Expression ToMask(Expression comparison)
    {
        var element = comparison.Type.GetGenericArguments()[0];
        if (VectorTypes.SizeOf(element) == LaneBytes) return As(comparison, MaskElement);
        return Access(nameof(VectorAccess.WidenMask), As(comparison, typeof(uint)));
    }

    /// <summary>All lanes set (a mask of every lane).</summary>
    public Expression AllLanes => Expression.Property(null, MaskType, "AllBitsSet");

    public Expression Zero(Type element) => Expression.Property(null, Of(element), "Zero");

    public Expression Splat(Type element, Expression scalar) => Call("Create", element, scalar);

    private readonly Dictionary<(Type, string, Type, string), MethodInfo> _methods = [];

    private MethodInfo Method(Type api, string name, Type element, Type[] argumentTypes)
    {
        var key = (api, name, element, string.Join(",", argumentTypes.Select(t => t.FullName)));
        lock (_methods)
        {
            if (_methods.TryGetValue(key, out var known)) return known;
        }

        MethodInfo? found = null;
        foreach (var candidate in api.GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            if (candidate.Name != name || candidate.GetParameters().Length != argumentTypes.Length) continue;
            var method = candidate;
            if (candidate.IsGenericMethodDefinition)
            {
                if (candidate.GetGenericArguments().Length != 1) continue;
                try
                {
                    method = candidate.MakeGenericMethod(element);
                }
                catch (ArgumentException)
                {
                    continue;
                }
            }

            if (method.GetParameters().Select(p => p.ParameterType).SequenceEqual(argumentTypes))
            {
                found = method;
                break;
            }
        }

        if (found is null) throw new NotVectorizableException($"{api.Name}.{name}<{element.Name}>({string.Join(", ", argumentTypes.Select(t => t.Name))}) does not exist");
        lock (_methods) _methods[key] = found;
        return found;
    }
}
