using System.Reflection;
using Dsl.Cli.FeatureSets;
using Dsl.Streams.Definition;
using Dsl.Streams.Samples;

namespace Dsl.Cli.Streams;

/// <summary>
/// The stream resolvers <c>dsl stream</c> runs: those an assembly exposes as public static properties or parameterless methods
/// returning a <see cref="StreamResolver"/>, or the sample (<see cref="SampleStream"/>) when no assembly is given.
/// </summary>
internal static class StreamResolvers
{
    public static StreamResolver Find(FileInfo? assembly, string? name)
    {
        if (assembly is null)
        {
            var sample = SampleStream.Resolver();
            if (name is not null && name != sample.Name) throw CliException.BadInput($"the sample has one stream resolver, '{sample.Name}'; give --assembly for others");
            return sample;
        }
        var types = FeatureAssembly.LoadTypes(assembly);
        var found = new List<StreamResolver>();
        foreach (var type in types)
        {
            var members = type.GetProperties(BindingFlags.Public | BindingFlags.Static).Where(p => p.PropertyType == typeof(StreamResolver) && p.GetIndexParameters().Length == 0).Select(p => (MethodInfo)p.GetMethod!)
                .Concat(type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.ReturnType == typeof(StreamResolver) && m.GetParameters().Length == 0 && !m.IsSpecialName));
            foreach (var member in members)
            {
                try
                {
                    found.Add((StreamResolver)member.Invoke(null, null)!);
                }
                catch (TargetInvocationException e) when (e.InnerException is StreamDefinitionException definition)
                {
                    throw CliException.BadInput($"{type.FullName}.{member.Name.Replace("get_", "", StringComparison.Ordinal)}: {definition.Message}", definition);
                }
            }
        }
        if (found.Count == 0) throw CliException.BadInput($"{assembly.Name} has no stream resolver (a public static property or parameterless method returning StreamResolver)");
        var matches = name is null ? found : found.Where(r => r.Name == name).ToList();
        if (matches.Count == 1) return matches[0];
        var known = string.Join(", ", found.Select(r => r.Name));
        throw CliException.BadInput(matches.Count == 0 ? $"{assembly.Name} has no stream resolver '{name}'; it has {known}" : $"{assembly.Name} has several stream resolvers ({known}); choose one with --resolver");
    }
}
