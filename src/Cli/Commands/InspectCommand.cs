using System.CommandLine;
using System.Text.Json;
using Dsl.Runtime;

namespace Dsl.Cli.Commands;

/// <summary>
/// <c>dsl inspect (-e SOURCE | -f PATH) [--json]</c>: compiles the lambda, lowers it, and prints its
/// parameters and return type (with the Arrow type of its result column), the verdict (compiled, or fallback
/// and why), the IR and the kernel.
/// </summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var lambda = new LambdaOptions();
        var json = new Option<bool>("--json") { Description = "Print one JSON object: mode, reason, parameters, returnType, ir, kernel" };
        var command = new Command("inspect", "Show what a C# lambda compiles into: verdict, IR and kernel.");
        lambda.AddTo(command);
        command.Add(json);
        command.SetAction(parsed =>
        {
            var compiled = lambda.Compile(parsed);
            var function = FunctionCompiler.Compile(compiled.Function);
            var reason = compiled.Describe(function.FallbackReason);
            if (parsed.GetValue(json)) WriteJson(Console.Out, function, reason);
            else WriteText(Console.Out, function, reason);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteText(TextWriter output, CompiledFunction function, string? reason)
    {
        output.WriteLine($"parameters: ({string.Join(", ", function.Parameters.Select(p => $"{TypeNames.CSharpName(p.Type)} {p.Name}"))})");
        var column = ResultColumnType(function.ReturnType);
        output.WriteLine($"returns:    {TypeNames.CSharpName(function.ReturnType)}{(column is null ? " (no Arrow column type)" : $" (column {column})")}");
        output.WriteLine(function.Mode == ExecutionMode.Compiled
            ? "verdict:    compiled"
            : $"verdict:    fallback: {reason}");
        output.WriteLine();
        output.WriteLine("IR:");
        output.WriteLine(Indent(function.IrText ?? "(none: the lambda runs row by row)"));
        output.WriteLine();
        output.WriteLine("kernel:");
        output.WriteLine(Indent(function.KernelText ?? "(none: the lambda runs row by row)"));
    }

    private static void WriteJson(TextWriter output, CompiledFunction function, string? reason)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("mode", ModeName(function.Mode));
            json.WriteString("reason", reason);
            json.WriteStartArray("parameters");
            foreach (var parameter in function.Parameters)
            {
                json.WriteStartObject();
                json.WriteString("name", parameter.Name);
                json.WriteString("type", TypeNames.CSharpName(parameter.Type));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("returnType", TypeNames.CSharpName(function.ReturnType));
            json.WriteString("resultColumnType", ResultColumnType(function.ReturnType));
            json.WriteString("ir", function.IrText);
            json.WriteString("kernel", function.Mode == ExecutionMode.Compiled ? function.KernelText : null);
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>The Arrow type of the result column <c>dsl eval</c> writes (e.g. <c>decimal128(38, 28)</c>), or null when there is none.</summary>
    private static string? ResultColumnType(Type returnType)
    {
        try
        {
            return ArrowExtensions.Types.ArrowTypes.Describe(Codegen.Columns.ColumnTypes.ArrowTypeOf(returnType));
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    public static string ModeName(ExecutionMode mode) => mode == ExecutionMode.Compiled ? "compiled" : "fallback";

    private static string Indent(string text) => string.Join(Environment.NewLine, text.ReplaceLineEndings("\n").Split('\n').Select(line => "  " + line));
}
