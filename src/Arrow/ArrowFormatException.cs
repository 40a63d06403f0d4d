namespace Dsl.ArrowExtensions;

/// <summary>
/// Arrow data that breaks the format: malformed IPC metadata, a message that does not fit its file, or (as the
/// derived <see cref="ArrowValidationException"/>) an array whose buffers do not hold what its type and length say.
/// The message says what is wrong and where.
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
