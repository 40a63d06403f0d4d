namespace Dsl.Arrow;

/// <summary>
/// Arrow data that breaks the format: buffers too small for the length, offsets out of order or outside the
/// data, indices outside a dictionary, malformed IPC metadata. The message says what is wrong and where.
/// </summary>
public class ArrowFormatException : Exception
{
    /// <summary>Creates the exception with a message saying what is wrong and where.</summary>
    public ArrowFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that revealed the problem.</summary>
    public ArrowFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
