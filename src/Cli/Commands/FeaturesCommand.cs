using System.CommandLine;
using Dsl.Cli.FeatureSets;
using Dsl.Runtime;

namespace Dsl.Cli.Commands;

/// <summary>
/// <c>dsl features --assembly PATH</c>: lists every feature set (public non-abstract <see cref="FeatureSet"/>
/// subclass with a parameterless constructor) and every feature in a compiled assembly, with each computed
/// feature's verdict and reason, and for a feature over related rows how the plan computes it. Exits 2 when the
/// assembly cannot be loaded or a set is not well defined.
/// </summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var assembly = new Option<FileInfo>("--assembly") { Description = "The compiled assembly (.dll) to scan", HelpName = "PATH", Required = true };
        var command = new Command("features", "List the feature sets in an assembly, with each feature's verdict.") { assembly };
        command.SetAction(parsed => Run(parsed.GetRequiredValue(assembly)));
        return command;
    }

    private static int Run(FileInfo path)
    {
        var sets = FeatureAssembly.Load(path).FeatureSets;
        if (sets.Count == 0)
        {
            Console.Out.WriteLine($"{path.Name}: no feature sets (public classes deriving from Dsl.FeatureSet<TEntity> with a parameterless constructor)");
            return ExitCodes.Success;
        }

        var failed = 0;
        foreach (var type in sets)
        {
            try
            {
                var set = FeatureAssembly.Create(type);
                var compiled = set.Compile();
                Console.Out.WriteLine($"{type.FullName} ({set.EntityType.Name})");
                var plans = compiled.Plan.DescribeRelations().ToDictionary(p => p.Feature, StringComparer.Ordinal);
                var width = compiled.Graph.Features.Max(f => f.Name.Length);
                var typeWidth = compiled.Graph.Features.Max(f => f.TypeName.Length);
                foreach (var feature in compiled.Graph.Features)
                {
                    var status = feature.Kind is FeatureKind.Input or FeatureKind.Relation or FeatureKind.Now
                        ? (feature.IsPrimaryKey ? "input, primary key" : feature.Relation is { } relation ? $"relation: {relation}" : FeatureKindNames.Describe(feature.Kind))
                        : Verdict(feature, compiled.Verdicts.First(v => v.Feature == feature.Name), plans.GetValueOrDefault(feature.Name));
                    Console.Out.WriteLine($"  {feature.Name.PadRight(width)}  {feature.TypeName.PadRight(typeWidth)}  {status}");
                }
            }
            catch (Exception e) when (FeatureAssembly.Unwrap(e) is FeatureDefinitionException error)
            {
                failed++;
                Console.Out.WriteLine($"{type.FullName}: error: {error.Message}");
            }
        }
        if (failed > 0) throw CliException.BadInput($"{failed} feature set(s) in {path.Name} are not well defined");
        return ExitCodes.Success;
    }

    /// <summary>
    /// <c>_ expression: compiled</c>, or <c>resolver: fallback: why</c>; for a feature over related rows, how the plan runs it
    /// (<c>windowed _ expression: compiled, segmented aggregation over Transactions</c>).
    /// </summary>
    private static string Verdict(Feature feature, FeatureVerdict verdict, RelationFeaturePlan? plan)
    {
        var kind = FeatureKindNames.Describe(feature.Kind);
        var text = verdict.IsCompiled ? $"{kind}: compiled" : $"{kind}: fallback: {verdict.Reason}";
        return plan is null ? text : $"{text}{(verdict.IsCompiled ? ", " : "; ")}{RelationStrategyNames.Describe(plan)}";
    }
}
