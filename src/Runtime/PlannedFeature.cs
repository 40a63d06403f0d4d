namespace Dsl.Runtime;

/// <summary>One feature of a <see cref="FeaturePlan"/>: its output column name, its function, and how its parameters bind.</summary>
/// <param name="Name">The output column's name; other features read it by this name.</param>
/// <param name="Function">The compiled function computing the feature.</param>
/// <param name="Bindings">
/// Parameter name → input name (a batch column or another feature). A parameter not listed reads the input of its
/// own name. Features take precedence over batch columns of the same name.
/// </param>
/// <param name="Window">
/// For one window of a windowed feature: every relation with an event time the function reads shows it only the rows with
/// <c>Now − Window &lt; EventTime ≤ Now</c>.
/// </param>
public sealed record PlannedFeature(string Name, CompiledFunction Function, IReadOnlyDictionary<string, string>? Bindings = null, TimeSpan? Window = null);
