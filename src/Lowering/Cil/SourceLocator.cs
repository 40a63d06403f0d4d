using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Dsl.Lowering.Cil;

/// <summary>
/// Maps an IL offset of a method to its source file, line and column through the portable PDB: the one
/// given in <see cref="LoweringOptions.PortablePdb"/>, else the PDB beside the assembly or embedded in it.
/// Returns nothing (never throws) when no PDB or no sequence point is found.
/// </summary>
internal static class SourceLocator
{
    private static readonly ConcurrentDictionary<Module, MetadataReaderProvider?> FileProviders = new();

    public static (string File, int Line, int Column)? Locate(MethodBase method, int ilOffset, LoweringOptions options)
    {
        try
        {
            var provider = options.PortablePdb is { } pdb && (options.PdbModule is null || options.PdbModule == method.Module)
                ? MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(pdb.Span))
                : FileProviders.GetOrAdd(method.Module, OpenBesideAssembly);
            if (provider is null) return null;
            var reader = provider.GetMetadataReader();
            var handle = MetadataTokens.MethodDefinitionHandle(method.MetadataToken);
            var best = default(SequencePoint?);
            foreach (var point in reader.GetMethodDebugInformation(handle).GetSequencePoints())
            {
                if (point.IsHidden || point.Offset > ilOffset) continue;
                if (best is null || point.Offset >= best.Value.Offset) best = point;
            }

            if (best is not { } found) return null;
            var file = reader.GetString(reader.GetDocument(found.Document).Name);
            return (file, found.StartLine, found.StartColumn);
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or InvalidOperationException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static MetadataReaderProvider? OpenBesideAssembly(Module module)
    {
        var location = module.Assembly.Location;
        if (string.IsNullOrEmpty(location) || !File.Exists(location)) return null;
        try
        {
            using var pe = new PEReader(File.OpenRead(location));
            return pe.TryOpenAssociatedPortablePdb(location, path => File.Exists(path) ? File.OpenRead(path) : null, out var provider, out _)
                ? provider
                : null;
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
