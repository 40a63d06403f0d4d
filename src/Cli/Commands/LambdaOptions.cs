using System.CommandLine;
using Dsl.Cli.Compilation;

namespace Dsl.Cli.Commands;

/// <summary>The <c>-e SOURCE | -f PATH</c> pair shared by <c>inspect</c> and <c>eval</c>: exactly one is given.</summary>
internal sealed class LambdaOptions
{
    public Option<string> Source { get; } = new("--source", "-e")
    {
        Description = "The lambda, e.g. \"(double subtotal, double? discount) => subtotal - (discount ?? 0)\"",
        HelpName = "SOURCE",
    };

    public Option<FileInfo> File { get; } = new("--file", "-f")
    {
        Description = "A file holding the lambda",
        HelpName = "PATH",
    };

    public void AddTo(Command command)
    {
        command.Add(Source);
        command.Add(File);
    }

    /// <summary>Reads and compiles the lambda; a missing, unreadable or non-compiling one is bad input.</summary>
    public CompiledLambda Compile(ParseResult parsed)
    {
        var source = parsed.GetValue(Source);
        var file = parsed.GetValue(File);
        if ((source is null) == (file is null))
            throw CliException.BadInput("give the lambda with exactly one of -e SOURCE or -f PATH");
        string sourceName = "lambda.cs";
        if (file is not null)
        {
            try
            {
                source = System.IO.File.ReadAllText(file.FullName);
                sourceName = file.Name;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CliException.BadInput($"cannot read lambda file '{file.FullName}': {e.Message}", e);
            }
        }
        try
        {
            return LambdaCompiler.Compile(source!, sourceName);
        }
        catch (LambdaCompilationException e)
        {
            throw CliException.BadInput($"the lambda does not compile: {e.Message}", e);
        }
    }
}
