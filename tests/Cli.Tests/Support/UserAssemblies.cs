using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Cli.Tests.Support;

/// <summary>Compiles a user's feature-set source into a real assembly on disk, for the tool to load as users' assemblies are.</summary>
internal static class UserAssemblies
{
    /// <summary>
    /// Compiles a <c>Shop</c> entity with its has-many <c>Payments</c> (Id, ShopId, Amount), the extra
    /// <paramref name="shopMembers"/> its features fill, and <paramref name="featureSets"/>: the shape the relation tests share.
    /// </summary>
    public static string CompileShop(TempDirectory directory, string shopMembers, string featureSets) => Compile(directory, $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using Dsl;
        public sealed class Payment { [PrimaryKey] public long Id { get; set; } public long ShopId { get; set; } public double Amount { get; set; } }
        public sealed class Shop
        {
            [PrimaryKey] public long Id { get; set; }
            public IReadOnlyList<Payment> Payments { get; set; } = new List<Payment>();
            {{shopMembers}}
        }
        {{featureSets}}
        """);

    public static string Compile(TempDirectory directory, string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll")
            .Append(typeof(FeatureSet).Assembly.Location)
            .Append(typeof(Dsl.Engine.MaxStalenessAttribute).Assembly.Location)
            .Append(typeof(Dsl.Streams.Definition.StreamResolver).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("UserFeatures", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var path = directory.File("UserFeatures.dll");
        var result = compilation.Emit(path);
        Assert.That(result.Success, Is.True, string.Join("\n", result.Diagnostics));
        return path;
    }
}
