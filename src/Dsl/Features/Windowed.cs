namespace Dsl;

/// <summary>
/// The type of an entity property defined by <see cref="FeatureSetBuilder{TEntity}.Windowed{T}"/>: one feature per window,
/// each named <c>Property[window]</c> (<c>Spend[7d]</c>) and addressed by that name in results.
/// </summary>
/// <typeparam name="T">The type of each window's feature.</typeparam>
public sealed class Windowed<T>
{
    private readonly Dictionary<string, T> _values = new(StringComparer.Ordinal);

    /// <summary>The value of one window (<c>"7d"</c>).</summary>
    /// <exception cref="KeyNotFoundException">The window was not computed.</exception>
    public T this[string window]
    {
        get => _values.TryGetValue(window, out var value) ? value : throw new KeyNotFoundException($"No value for window '{window}'.");
        set => _values[window] = value;
    }

    /// <summary>The windows that have a value.</summary>
    public IEnumerable<string> Windows => _values.Keys;
}
