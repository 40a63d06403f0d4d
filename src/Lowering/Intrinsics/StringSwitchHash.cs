using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// The string hash Roslyn emits for a <c>switch</c> over many string constants: a private
/// <c>&lt;PrivateImplementationDetails&gt;.ComputeStringHash(string)</c> in the user's assembly (FNV-1a over the UTF-16
/// units; 0 for null), whose loop over the string would send the function to the fallback. The call becomes a call
/// to <see cref="Compute"/>, the same function, so a string switch lowers to the hash comparisons and the ordinal
/// equality tests Roslyn emits after them (kernels over utf8 columns hash the bytes' UTF-16 units).
/// </summary>
public static class StringSwitchHash
{
    private static readonly MethodInfo s_compute = typeof(StringSwitchHash).GetMethod(nameof(Compute))!;

    /// <summary>Roslyn's ComputeStringHash: FNV-1a (offset basis 2166136261, prime 16777619) over the units.</summary>
    public static uint Compute(string? s)
    {
        if (s is null) return 0;
        uint hash = 2166136261u;
        foreach (char c in s) hash = (c ^ hash) * 16777619u;
        return hash;
    }

    internal static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        if (method is not MethodInfo { IsStatic: true, Name: "ComputeStringHash" } info || info.ReturnType != typeof(uint)
            || method.DeclaringType?.Name != "<PrivateImplementationDetails>" || arguments.Count != 1 || arguments[0].Type != typeof(string))
        {
            return IntrinsicCall.NotIntrinsic;
        }

        return IntrinsicCall.Lowered(Expression.Call(s_compute, arguments[0]));
    }
}
