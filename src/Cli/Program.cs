using System.CommandLine;
using Dsl.Cli.Commands;

namespace Dsl.Cli;

/// <summary>
/// The <c>dsl</c> tool: <c>inspect</c>, <c>eval</c>, <c>demo</c>, <c>features</c>, <c>query</c>, <c>serve</c>. Every failure ends in one
/// line on standard error, <c>dsl: …</c>, and an exit code from <see cref="ExitCodes"/>.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("Compile C# feature logic to SIMD kernels over Arrow data, and show what it compiled into.")
        {
            InspectCommand.Create(),
            EvalCommand.Create(),
            DemoCommand.Create(),
            FeaturesCommand.Create(),
            QueryCommand.Create(),
            ServeCommand.Create(),
            IngestCommand.Create(),
            OfflineCommand.Create(),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"dsl: {parsed.Errors[0].Message.ReplaceLineEndings(" ")}");
            return ExitCodes.BadInput;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"dsl: {e.Message.ReplaceLineEndings(" ")}");
            return e.ExitCode;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"dsl: internal error: {e.GetType().FullName}: {e.Message.ReplaceLineEndings(" ")}");
            if (Environment.GetEnvironmentVariable("DSL_TRACE") == "1") Console.Error.WriteLine(e);
            return ExitCodes.InternalError;
        }
    }
}
