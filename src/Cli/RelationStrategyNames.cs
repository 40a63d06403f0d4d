using Dsl.Runtime;

namespace Dsl.Cli;

/// <summary>How listings say a feature over related rows is computed.</summary>
internal static class RelationStrategyNames
{
    /// <summary><c>segmented aggregation over Transactions</c>, <c>compiled over materialized Transactions rows</c>, <c>row by row over materialized Transactions rows</c>.</summary>
    public static string Describe(RelationFeaturePlan plan)
    {
        var relations = string.Join(", ", plan.Relations.Select(r => r.Name));
        return plan.Strategy switch
        {
            RelationStrategy.Segmented => $"segmented aggregation over {relations}",
            RelationStrategy.MaterializedCompiled => $"compiled over materialized {relations} rows",
            _ => $"row by row over materialized {relations} rows",
        };
    }

    /// <summary>The name used in tables: <c>segmented</c>, <c>materialized, compiled</c>, <c>materialized, row by row</c>.</summary>
    public static string Short(RelationStrategy strategy) => strategy switch
    {
        RelationStrategy.Segmented => "segmented",
        RelationStrategy.MaterializedCompiled => "materialized, compiled",
        _ => "materialized, row by row",
    };

    /// <summary>The short name used in JSON: <c>segmented</c>, <c>materialized-compiled</c>, <c>materialized-row-by-row</c>.</summary>
    public static string Name(RelationStrategy strategy) => strategy switch
    {
        RelationStrategy.Segmented => "segmented",
        RelationStrategy.MaterializedCompiled => "materialized-compiled",
        _ => "materialized-row-by-row",
    };
}
