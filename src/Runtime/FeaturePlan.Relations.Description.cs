namespace Dsl.Runtime;

public sealed partial class FeaturePlan
{
    /// <summary>
    /// How the plan computes each feature that reads related rows, in evaluation order: by segmented aggregation (and
    /// which aggregates), or over rows materialized per parent (compiled or row by row). For <c>dsl inspect</c> and for
    /// tests that pin a plan.
    /// </summary>
    public IReadOnlyList<RelationFeaturePlan> DescribeRelations()
    {
        var aggregates = _aggregation.Aggregates.ToDictionary(a => a.ValueName, StringComparer.Ordinal);
        var plans = new List<RelationFeaturePlan>();
        foreach (var step in _steps.Where(s => !s.IsHidden))
        {
            var feature = Features[step.FeatureIndex];
            var read = step.Inputs.Select(input => aggregates.GetValueOrDefault(input)).OfType<Execution.Relations.PlannedAggregate>().ToArray();
            var relations = step.Inputs.Select(_relationInputs.RelationOf).OfType<RelationInput>().Concat(read.Select(a => a.Relation)).Distinct().ToArray();
            if (relations.Length == 0) continue;
            var strategy = read.Length > 0 ? RelationStrategy.Segmented
                : step.Mode == ExecutionMode.Compiled ? RelationStrategy.MaterializedCompiled : RelationStrategy.MaterializedRowByRow;
            plans.Add(new RelationFeaturePlan(feature.Name, strategy, relations, feature.Window,
                read.Select(a => new PlannedAggregateInfo(a.ValueName, a.Projection is { } member ? $"{a.Node}!.{member.Name}" : a.Node.ToString(), a.Relation, a.Window, a.CanFail)).ToArray()));
        }

        return plans;
    }
}
