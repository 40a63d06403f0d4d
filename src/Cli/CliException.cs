namespace Dsl.Cli;

/// <summary>Stops a command with an exit code and a one-line message for standard error.</summary>
internal sealed class CliException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    public static CliException BadInput(string message, Exception? inner = null) => new(ExitCodes.BadInput, message, inner);
}
