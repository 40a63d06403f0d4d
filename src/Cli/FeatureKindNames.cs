namespace Dsl.Cli;

/// <summary>How listings name the ways a feature is defined.</summary>
internal static class FeatureKindNames
{
    public static string Describe(FeatureKind kind) => kind switch
    {
        FeatureKind.Input => "input",
        FeatureKind.Expression => "_ expression",
        FeatureKind.Resolver => "resolver",
        FeatureKind.StringExpression => "string expression",
        FeatureKind.Relation => "relation",
        FeatureKind.Windowed => "windowed _ expression",
        FeatureKind.Now => "query time",
        _ => kind.ToString(),
    };
}
