using System.CommandLine;
using System.Text.Json;
using Dsl.Cli.FeatureSets;
using Dsl.Runtime;

namespace Dsl.Cli.Commands;

/// <summary>
/// <c>dsl inspect (-e SOURCE | -f PATH) [--json]</c>: compiles the lambda, lowers it, and prints its
/// parameters and return type (with the Arrow type of its result column), the verdict (compiled, or fallback
/// and why), the IR and the kernel. <c>dsl inspect --assembly PATH --feature-set NAME [--feature F] [--json]</c>
/// does the same for the computed features of a feature set, with the plan of each feature over related rows
/// (see <see cref="FeatureInspection"/>).
/// </summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var lambda = new LambdaOptions();
        var json = new Option<bool>("--json") { Description = "Print one JSON object: mode, reason, parameters, returnType, ir, kernel (for a feature set: its features and their plans)" };
        var assembly = new Option<FileInfo>("--assembly") { Description = "Inspect a feature set of this compiled assembly (.dll) instead of a lambda", HelpName = "PATH" };
        var featureSet = new Option<string>("--feature-set") { Description = "The feature set to inspect (full or class name); with --assembly", HelpName = "NAME" };
        var feature = new Option<string>("--feature") { Description = "Only this computed feature (Spend[7d]); with --feature-set", HelpName = "NAME" };
        var command = new Command("inspect", "Show what a C# lambda or a feature set compiles into: verdict, IR, kernel, and the plan of aggregations.");
        lambda.AddTo(command);
        foreach (var option in new Option[] { json, assembly, featureSet, feature }) command.Add(option);
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(assembly) is { } path)
            {
                if (parsed.GetValue(lambda.Source) is not null || parsed.GetValue(lambda.File) is not null)
                    throw CliException.BadInput("give either a lambda (-e or -f) or --assembly with --feature-set, not both");
                var setName = parsed.GetValue(featureSet) ?? throw CliException.BadInput("--assembly needs --feature-set NAME");
                var features = FeatureAssembly.Load(path).Compile(setName);
                FeatureInspection.Write(Console.Out, features, parsed.GetValue(feature), parsed.GetValue(json));
                return ExitCodes.Success;
            }
            if (parsed.GetValue(featureSet) is not null || parsed.GetValue(feature) is not null)
                throw CliException.BadInput("--feature-set and --feature need --assembly PATH");

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
        output.WriteLine(Json(json =>
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
        }));
    }

    /// <summary>Indented JSON, non-ASCII and C# operators (<c>=&gt;</c>, <c>&lt;</c>) written as they are.</summary>
    internal static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(json);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The Arrow type of the result column <c>dsl eval</c> writes (e.g. <c>decimal128(38, 28)</c>), or null when there is none.</summary>
    internal static string? ResultColumnType(Type returnType)
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

    internal static string Indent(string text, string prefix = "  ") =>
        string.Join(Environment.NewLine, text.ReplaceLineEndings("\n").Split('\n').Select(line => prefix + line));
}
