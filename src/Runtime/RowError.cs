namespace Dsl.Runtime;

/// <summary>
/// One row whose function call failed. The row's result is null. The report is the same whichever path
/// (compiled or row by row) computed the batch.
/// </summary>
/// <param name="Row">The row index within the evaluated batch (0-based).</param>
/// <param name="ExceptionType">The thrown exception's type full name, e.g. <c>System.DivideByZeroException</c>.</param>
/// <param name="Message">The exception's message.</param>
public sealed record RowError(int Row, string ExceptionType, string Message);
