using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// The answer of the intrinsic table for one call the CIL interpreter met: the IR that computes it
/// exactly, a reason it cannot be lowered exactly, or "not an intrinsic" (the interpreter may then
/// inline the callee if it is the user's own code, or fall back).
/// </summary>
internal readonly record struct IntrinsicCall(Expression? Value, FallbackReason? Unsupported)
{
    /// <summary>The method is not in the table; the caller decides what to do with it.</summary>
    public static IntrinsicCall NotIntrinsic => default;

    public bool IsLowered => Value is not null;

    public static IntrinsicCall Lowered(Expression value) => new(value, null);

    public static IntrinsicCall Refused(string construct, string message) => new(null, new FallbackReason(construct, message));
}

/// <summary>Signature of the intrinsic table: see <c>IntrinsicTable.TryLower</c>.</summary>
internal delegate IntrinsicCall IntrinsicLowering(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments);
