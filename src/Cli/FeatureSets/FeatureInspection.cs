using System.Text.Json;
using Dsl.Cli.Commands;
using Dsl.Runtime;

namespace Dsl.Cli.FeatureSets;

/// <summary>
/// What <c>dsl inspect --assembly … --feature-set …</c> prints for each computed feature: its type and definition, the
/// verdict, the plan of a feature over related rows (segmented or materialized, the relation's join and event time, the
/// window, each aggregate the segmented kernel computes, in the aggregation IR's LINQ-like form), and the lowered IR.
/// </summary>
internal static class FeatureInspection
{
    public static void Write(TextWriter output, CompiledFeatureSet features, string? only, bool json)
    {
        var verdicts = features.Verdicts.ToList();
        if (only is not null)
        {
            verdicts = verdicts.Where(v => v.Feature == only).ToList();
            if (verdicts.Count == 0)
            {
                throw CliException.BadInput($"{features.Set.Name} has no computed feature '{only}'; its computed features are {string.Join(", ", features.Verdicts.Select(v => v.Feature))}");
            }
        }

        var plans = features.Plan.DescribeRelations().ToDictionary(p => p.Feature, StringComparer.Ordinal);
        if (json) WriteJson(output, features, verdicts, plans);
        else WriteText(output, features, verdicts, plans);
    }

    private static void WriteText(TextWriter output, CompiledFeatureSet features, List<FeatureVerdict> verdicts, Dictionary<string, RelationFeaturePlan> plans)
    {
        output.WriteLine($"feature set: {features.Set.GetType().FullName} ({features.Set.EntityType.Name})");
        foreach (var relation in features.Graph.Relations) output.WriteLine($"relation:    {relation}");
        foreach (var verdict in verdicts)
        {
            var feature = features.Graph[verdict.Feature];
            output.WriteLine();
            output.WriteLine($"feature:  {feature.Name} ({feature.TypeName}, {FeatureKindNames.Describe(feature.Kind)})");
            output.WriteLine(verdict.IsCompiled ? "verdict:  compiled" : $"verdict:  fallback: {verdict.Reason}");
            if (plans.TryGetValue(verdict.Feature, out var plan))
            {
                output.WriteLine($"plan:     {RelationStrategyNames.Describe(plan)}");
                foreach (var relation in plan.Relations) output.WriteLine($"  join:   {Join(relation)}");
                if (plan.Relations.FirstOrDefault(r => r.EventTime is not null) is { } timed)
                    output.WriteLine($"  sees:   {Visibility(timed, plan.Window)}");
                foreach (var aggregate in plan.Aggregates)
                    output.WriteLine($"  {aggregate.Column} = {aggregate.Aggregate}{(aggregate.CanFail ? "  (can fail)" : "")}");
            }

            output.WriteLine("IR:");
            output.WriteLine(InspectCommand.Indent(verdict.Function.IrText ?? "(none: the feature runs row by row)"));
        }
    }

    private static void WriteJson(TextWriter output, CompiledFeatureSet features, List<FeatureVerdict> verdicts, Dictionary<string, RelationFeaturePlan> plans)
    {
        output.WriteLine(InspectCommand.Json(json =>
        {
            json.WriteStartObject();
            json.WriteString("featureSet", features.Set.GetType().FullName);
            json.WriteString("entity", features.Set.EntityType.Name);
            json.WriteStartArray("relations");
            foreach (var relation in features.Graph.Relations) json.WriteStringValue(relation.ToString());
            json.WriteEndArray();
            json.WriteStartArray("features");
            foreach (var verdict in verdicts)
            {
                var feature = features.Graph[verdict.Feature];
                json.WriteStartObject();
                json.WriteString("name", feature.Name);
                json.WriteString("type", feature.TypeName);
                json.WriteString("definedBy", FeatureKindNames.Describe(feature.Kind));
                json.WriteString("mode", InspectCommand.ModeName(verdict.Mode));
                json.WriteString("reason", verdict.Reason);
                json.WritePropertyName("plan");
                if (plans.TryGetValue(verdict.Feature, out var plan)) WritePlan(json, plan);
                else json.WriteNullValue();
                json.WriteString("ir", verdict.Function.IrText);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }));
    }

    private static void WritePlan(Utf8JsonWriter json, RelationFeaturePlan plan)
    {
        json.WriteStartObject();
        json.WriteString("strategy", RelationStrategyNames.Name(plan.Strategy));
        json.WriteString("window", plan.Window is { } window ? WindowText(window) : null);
        json.WriteStartArray("relations");
        foreach (var relation in plan.Relations)
        {
            json.WriteStartObject();
            json.WriteString("name", relation.Name);
            json.WriteString("join", Join(relation));
            json.WriteString("eventTime", relation.EventTime);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("aggregates");
        foreach (var aggregate in plan.Aggregates)
        {
            json.WriteStartObject();
            json.WriteString("column", aggregate.Column);
            json.WriteString("aggregate", aggregate.Aggregate);
            json.WriteString("window", aggregate.Window is { } aggregateWindow ? WindowText(aggregateWindow) : null);
            json.WriteBoolean("canFail", aggregate.CanFail);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary><c>Transactions: Transaction.UserId = parent.Id</c>.</summary>
    private static string Join(RelationInput relation) =>
        $"{relation.Name}: " + string.Join(" and ", relation.ParentKeys.Zip(relation.RelatedKeys, (parent, related) => $"{relation.ElementType.Name}.{related} = parent.{parent}"));

    /// <summary>Which related rows a parent computed as of Now sees.</summary>
    private static string Visibility(RelationInput relation, TimeSpan? window)
    {
        var time = $"{relation.ElementType.Name}.{relation.EventTime}";
        return window is { } w ? $"rows with Now - {WindowText(w)} < {time} <= Now (window {WindowText(w)})" : $"rows with {time} <= Now";
    }

    /// <summary>A window in the units it was most likely written in: <c>7d</c>, <c>90m</c>, <c>1h</c>.</summary>
    internal static string WindowText(TimeSpan window) => window switch
    {
        _ when window.Ticks % TimeSpan.TicksPerDay == 0 => $"{window.Ticks / TimeSpan.TicksPerDay}d",
        _ when window.Ticks % TimeSpan.TicksPerHour == 0 => $"{window.Ticks / TimeSpan.TicksPerHour}h",
        _ when window.Ticks % TimeSpan.TicksPerMinute == 0 => $"{window.Ticks / TimeSpan.TicksPerMinute}m",
        _ => $"{window.Ticks / TimeSpan.TicksPerSecond}s",
    };
}
