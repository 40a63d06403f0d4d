namespace Dsl.Runtime;

/// <summary>The features of one row evaluated online by <see cref="FeaturePlan.Invoke(object?[])"/>.</summary>
public sealed class FeatureRow
{
    private readonly IReadOnlyList<string> _names;

    internal FeatureRow(IReadOnlyList<string> names, object?[] values, IReadOnlyList<FeatureError> errors)
    {
        _names = names;
        Values = values;
        Errors = errors;
    }

    /// <summary>One value per feature, in definition order; null where the feature is null or threw.</summary>
    public IReadOnlyList<object?> Values { get; }

    /// <summary>The features that threw, in evaluation order; empty when none did.</summary>
    public IReadOnlyList<FeatureError> Errors { get; }

    /// <summary>The value of the feature named <paramref name="feature"/> (ordinal).</summary>
    /// <exception cref="KeyNotFoundException">No feature has that name.</exception>
    public object? this[string feature]
    {
        get
        {
            for (var i = 0; i < _names.Count; i++)
            {
                if (_names[i] == feature) return Values[i];
            }
            throw new KeyNotFoundException($"No feature is named '{feature}'; the features are {string.Join(", ", _names)}.");
        }
    }
}
