namespace Dsl.Codegen.Vector;

/// <summary>
/// Thrown by the vector generator for IR it does not turn into lanes (the compiler then uses the row-loop
/// kernel, which accepts everything); the message says which construct.
/// </summary>
internal sealed class NotVectorizableException(string reason) : Exception(reason);
