using Dsl.Engine.Graph;

namespace Dsl.Engine;

/// <summary>
/// Declares how stale a feature may be when an online query reads it from the online store: <c>[MaxStaleness("5m")]</c>
/// (a whole number and a unit: <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>), or <c>[MaxStaleness("infinite")]</c>. Without it a
/// feature is always computed. Values computed for a feature with a nonzero staleness are written back to the store.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class MaxStalenessAttribute : Attribute
{
    /// <summary>Declares the maximum staleness, as text.</summary>
    /// <exception cref="ArgumentException">The text is not a duration or <c>infinite</c>.</exception>
    public MaxStalenessAttribute(string maxStaleness) => MaxStaleness = Staleness.Parse(maxStaleness);

    /// <summary>The maximum staleness (<see cref="Timeout.InfiniteTimeSpan"/> for infinite).</summary>
    public TimeSpan MaxStaleness { get; }
}
