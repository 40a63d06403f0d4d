namespace Dsl.Codegen.Scalar;

/// <summary>
/// Thrown by a UTF-8 operation whose exact result UTF-8 cannot hold (a <c>Substring</c> cut between the two
/// surrogates of one code point leaves a lone surrogate). The row loop catches it and evaluates that row again on
/// <see cref="string"/> values, as the IR was before <see cref="Utf8Rewriter"/>: the IR has no effects, so the
/// second evaluation gives the row's exact answer. Never seen outside a kernel.
/// </summary>
internal sealed class Utf8RowRetry : Exception
{
    /// <summary>One instance: the retry is a signal, and a row must not allocate to send it.</summary>
    public static readonly Utf8RowRetry Instance = new();

    private Utf8RowRetry()
        : base("A UTF-8 operation needs the row evaluated on strings.")
    {
    }
}
