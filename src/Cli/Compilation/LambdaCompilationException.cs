namespace Dsl.Cli.Compilation;

/// <summary>
/// The user's lambda does not compile, or is not one lambda with explicitly typed parameters. Line and
/// column are 1-based and relative to the user's text; <see cref="Exception.Message"/> is one line:
/// <c>lambda.cs:1:15: error CS1002: ; expected</c>.
/// </summary>
internal sealed class LambdaCompilationException(string sourceName, int line, int column, string id, string problem)
    : Exception($"{sourceName}:{line}:{column}: error {id}: {problem}")
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>The compiler's diagnostic id (<c>CS0103</c>), or <c>DSL0001</c> for a shape error of ours.</summary>
    public string Id { get; } = id;

    public string Problem { get; } = problem;
}
