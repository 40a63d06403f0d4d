namespace Dsl.Cli;

/// <summary>The tool's exit codes, a contract with scripts and outside tests.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>An unexpected failure of the tool itself.</summary>
    public const int InternalError = 1;

    /// <summary>Bad input: unreadable file, unknown column, type mismatch, a lambda that does not compile, bad options.</summary>
    public const int BadInput = 2;

    /// <summary><c>--mode compiled</c> was asked for, but the lambda cannot be lowered.</summary>
    public const int NotCompiled = 3;
}
