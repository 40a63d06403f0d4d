namespace Dsl.Runtime;

/// <summary>
/// Thrown when <see cref="EvaluationMode.Compiled"/> is requested for a function that could not be lowered;
/// <see cref="Reason"/> says why (with the source line when known).
/// </summary>
public sealed class FunctionNotCompiledException : InvalidOperationException
{
    /// <summary>Creates the exception for a function that fell back for <paramref name="reason"/>.</summary>
    public FunctionNotCompiledException(string reason)
        : base($"The function cannot run compiled: {reason}")
    {
        Reason = reason;
    }

    /// <summary>The fallback reason, as in <see cref="CompiledFunction.FallbackReason"/>.</summary>
    public string Reason { get; }
}
