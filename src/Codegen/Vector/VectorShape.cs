using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.Intrinsics;

namespace Dsl.Codegen.Vector;

/// <summary>
/// The vector width (256 or 512 bits) and lane size (4 or 8 bytes) of one vector kernel, and the reflection
/// it needs to call the matching <c>Vector256</c>/<c>Vector512</c> APIs. Every numeric lane of a kernel has the
/// same size, so one lane mask type (<c>ulong</c> or <c>uint</c> lanes) serves every value and every condition.
/// </summary>
internal sealed class VectorShape
{
    public VectorShape(int bits, int laneBytes)
    {
        if (bits is not (256 or 512) || laneBytes is not (4 or 8)) throw new ArgumentException($"No vector shape of {bits} bits with {laneBytes}-byte lanes.");
        Bits = bits;
        LaneBytes = laneBytes;
    }

    public int Bits { get; }

    public int LaneBytes { get; }

    public int Lanes => Bits / 8 / LaneBytes;

    /// <summary><c>Vector256</c> or <c>Vector512</c>: the static API class.</summary>
    public Type Api => Bits == 256 ? typeof(Vector256) : typeof(Vector512);

    /// <summary>The element of lane masks: <c>ulong</c> for 8-byte lanes, <c>uint</c> for 4-byte lanes.</summary>
    public Type MaskElement => LaneBytes == 8 ? typeof(ulong) : typeof(uint);

    public Type MaskType => Of(MaskElement);

    public Type Of(Type element) => (Bits == 256 ? typeof(Vector256<>) : typeof(Vector512<>)).MakeGenericType(element);

    /// <summary>Calls a static method of <see cref="Api"/> by name, instantiated for <paramref name="element"/> when generic.</summary>
    public Expression Call(string name, Type element, params Expression[] arguments) =>
        Expression.Call(Method(name, element, arguments.Select(a => a.Type).ToArray()), arguments);

    /// <summary>Reinterprets a vector as a vector of <paramref name="to"/> lanes.</summary>
    public Expression As(Expression vector, Type to)
    {
        var from = vector.Type.GetGenericArguments()[0];
        if (from == to) return vector;
        var method = Api.GetMethods().Single(m => m.Name == "As" && m.GetGenericArguments().Length == 2).MakeGenericMethod(from, to);
        return Expression.Call(method, vector);
    }

    /// <summary>All lanes set (a mask of every lane).</summary>
    public Expression AllLanes => Expression.Property(null, MaskType, "AllBitsSet");

    public Expression Zero(Type element) => Expression.Property(null, Of(element), "Zero");

    public Expression Splat(Type element, Expression scalar) => Call("Create", element, scalar);

    private readonly Dictionary<(string, Type, string), MethodInfo> _methods = [];

    private MethodInfo Method(string name, Type element, Type[] argumentTypes)
    {
        var key = (name, element, string.Join(",", argumentTypes.Select(t => t.FullName)));
        lock (_methods)
        {
            if (_methods.TryGetValue(key, out var known)) return known;
        }

        MethodInfo? found = null;
        foreach (var candidate in Api.GetMethods(BindingFlags.Public | BindingFlags.Static))
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

        if (found is null) throw new NotVectorizableException($"{Api.Name}.{name}<{element.Name}>({string.Join(", ", argumentTypes.Select(t => t.Name))}) does not exist");
        lock (_methods) _methods[key] = found;
        return found;
    }
}
