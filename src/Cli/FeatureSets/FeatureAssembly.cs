using System.Reflection;
using System.Runtime.Loader;

namespace Dsl.Cli.FeatureSets;

/// <summary>
/// A user's compiled assembly of feature sets, loaded into the default context so that its feature sets derive from this
/// tool's <see cref="FeatureSet"/>; its other dependencies are found beside it. Shared by <c>features</c>, <c>inspect</c>
/// and <c>eval</c>.
/// </summary>
internal sealed class FeatureAssembly
{
    private FeatureAssembly(FileInfo path, IReadOnlyList<Type> featureSets)
    {
        Path = path;
        FeatureSets = featureSets;
    }

    /// <summary>The assembly file.</summary>
    public FileInfo Path { get; }

    /// <summary>Every public non-abstract <see cref="FeatureSet"/> subclass with a parameterless constructor, by full name.</summary>
    public IReadOnlyList<Type> FeatureSets { get; }

    /// <summary>Loads the assembly; a missing or unloadable file is bad input.</summary>
    public static FeatureAssembly Load(FileInfo path) => new(path, FindFeatureSets(LoadAssembly(path)));

    /// <summary>The public types of the assembly at <paramref name="path"/> (those that load).</summary>
    /// <exception cref="CliException">The file does not exist or is not a loadable assembly.</exception>
    public static IReadOnlyList<Type> LoadTypes(FileInfo path) => Types(LoadAssembly(path)).Where(t => t.IsPublic).ToList();

    private static Assembly LoadAssembly(FileInfo path)
    {
        if (!path.Exists) throw CliException.BadInput($"cannot read assembly '{path.FullName}': the file does not exist");
        var directory = path.DirectoryName!;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var candidate = System.IO.Path.Combine(directory, name.Name + ".dll");
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

    /// <summary>
    /// The feature set named <paramref name="name"/> (its full name, or its class name when that is unique), compiled; an
    /// unknown name or a set that is not well defined is bad input.
    /// </summary>
    public CompiledFeatureSet Compile(string name)
    {
        var matches = FeatureSets.Where(t => t.FullName == name).ToList();
        if (matches.Count == 0) matches = FeatureSets.Where(t => t.Name == name).ToList();
        if (matches.Count != 1)
        {
            var known = FeatureSets.Count == 0 ? "it has none" : $"it has {string.Join(", ", FeatureSets.Select(t => t.FullName))}";
            throw CliException.BadInput(matches.Count == 0
                ? $"{Path.Name} has no feature set '{name}'; {known}"
                : $"'{name}' names several feature sets in {Path.Name} ({string.Join(", ", matches.Select(t => t.FullName))}); give the full name");
        }

        try
        {
            return Create(matches[0]).Compile();
        }
        catch (Exception e) when (e is FeatureDefinitionException or TargetInvocationException { InnerException: FeatureDefinitionException })
        {
            throw CliException.BadInput($"{matches[0].FullName}: {Unwrap(e).Message}", e);
        }
    }

    /// <summary>An instance of a feature set type (its constructor's exception unwrapped by the caller, see <see cref="Unwrap"/>).</summary>
    public static FeatureSet Create(Type type) => (FeatureSet)Activator.CreateInstance(type)!;

    /// <summary>The exception a feature set's constructor or definition threw, without reflection's wrapper.</summary>
    public static Exception Unwrap(Exception e) => e is TargetInvocationException { InnerException: { } inner } ? inner : e;

    private static Type[] Types(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.Where(t => t is not null).ToArray()!;
        }
    }

    private static List<Type> FindFeatureSets(Assembly assembly)
    {
        return Types(assembly)
            .Where(t => t is { IsAbstract: false, IsPublic: true } && typeof(FeatureSet).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
    }
}
