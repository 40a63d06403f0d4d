using System.CommandLine;
using System.Reflection;
using System.Runtime.Loader;

namespace Dsl.Cli.Commands;

/// <summary>
/// <c>dsl features --assembly PATH</c>: lists every feature set (public non-abstract <see cref="FeatureSet"/>
/// subclass with a parameterless constructor) and every feature in a compiled assembly, with each computed
/// feature's verdict and reason. Exits 2 when the assembly cannot be loaded or a set is not well defined.
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
        var sets = FindFeatureSets(Load(path));
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
                var set = (FeatureSet)Activator.CreateInstance(type)!;
                var compiled = set.Compile();
                Console.Out.WriteLine($"{type.FullName} ({set.EntityType.Name})");
                var width = compiled.Graph.Features.Max(f => f.Name.Length);
                var typeWidth = compiled.Graph.Features.Max(f => f.TypeName.Length);
                foreach (var feature in compiled.Graph.Features)
                {
                    var verdict = compiled.Verdicts.FirstOrDefault(v => v.Feature == feature.Name);
                    var status = feature.Kind is FeatureKind.Input or FeatureKind.Relation or FeatureKind.Now
                        ? (feature.IsPrimaryKey ? "input, primary key" : feature.Relation is { } relation ? $"relation: {relation}" : FeatureKindNames.Describe(feature.Kind))
                        : verdict!.IsCompiled ? $"{FeatureKindNames.Describe(feature.Kind)}: compiled" : $"{FeatureKindNames.Describe(feature.Kind)}: fallback: {verdict.Reason}";
                    Console.Out.WriteLine($"  {feature.Name.PadRight(width)}  {feature.TypeName.PadRight(typeWidth)}  {status}");
                }
            }
            catch (Exception e) when (e is FeatureDefinitionException or TargetInvocationException { InnerException: FeatureDefinitionException })
            {
                failed++;
                var error = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                Console.Out.WriteLine($"{type.FullName}: error: {error.Message}");
            }
        }
        if (failed > 0) throw CliException.BadInput($"{failed} feature set(s) in {path.Name} are not well defined");
        return ExitCodes.Success;
    }

    /// <summary>
    /// Loads the user's assembly into the default context, so that its feature sets derive from this
    /// tool's <see cref="FeatureSet"/>; its other dependencies are found beside it.
    /// </summary>
    private static Assembly Load(FileInfo path)
    {
        if (!path.Exists) throw CliException.BadInput($"cannot read assembly '{path.FullName}': the file does not exist");
        var directory = path.DirectoryName!;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var candidate = Path.Combine(directory, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };
        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(path.FullName);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or IOException)
        {
            throw CliException.BadInput($"cannot load assembly '{path.FullName}': {e.Message}", e);
        }
    }

    private static List<Type> FindFeatureSets(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).ToArray()!;
        }
        return types
            .Where(t => t is { IsAbstract: false, IsPublic: true } && typeof(FeatureSet).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
    }
}
