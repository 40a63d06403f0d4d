namespace Dsl.Arrow;

/// <summary>
/// Arrow data (an IPC file or stream, or an array's buffers) is malformed: a length, an offset or a
/// structure does not fit what the Arrow columnar format allows. The message says what is wrong and where
/// (message index, byte offset, field path, buffer index), so a bad file can be diagnosed without a debugger.
/// </summary>
/// <remarks>
/// Readers raise this exception, never an <see cref="IndexOutOfRangeException"/> or an access violation,
/// for any input: a reader that returns normally has validated what it returns.
/// </remarks>
public sealed class ArrowFormatException : Exception
{
    /// <summary>Creates the exception with a message that says what is wrong and where.</summary>
    public ArrowFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the lower-level failure that caused it.</summary>
    public ArrowFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
