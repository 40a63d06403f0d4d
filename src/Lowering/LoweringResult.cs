using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;

namespace Dsl.Lowering;

/// <summary>
/// The outcome of lowering one function: either an IR lambda that is exactly equivalent to the
/// original delegate on every input, or the reason the function must run row by row.
/// </summary>
/// <remarks>
/// Invariant: <see cref="Ir"/>'s parameters are the function's parameters, in order, with the same
/// names and CLR types; its body's type is the function's return type. Compiling <see cref="Ir"/> as a
/// scalar function and calling it gives the same value, or throws the same exception type, as the
/// delegate for every argument tuple.
/// </remarks>
internal sealed class LoweringResult
{
    private LoweringResult(LambdaExpression? ir, FallbackReason? fallback)
    {
        Ir = ir;
        Fallback = fallback;
    }

    /// <summary>The lowered IR, or null when lowering fell back.</summary>
    public LambdaExpression? Ir { get; }

    /// <summary>Why lowering fell back, or null when it succeeded.</summary>
    public FallbackReason? Fallback { get; }

    [MemberNotNullWhen(true, nameof(Ir))]
    [MemberNotNullWhen(false, nameof(Fallback))]
    public bool Succeeded => Ir is not null;

    public static LoweringResult Success(LambdaExpression ir) => new(ir ?? throw new ArgumentNullException(nameof(ir)), null);

    public static LoweringResult Failure(FallbackReason reason) => new(null, reason ?? throw new ArgumentNullException(nameof(reason)));
}
