namespace Dsl;

public static partial class F
{
    /// <summary>
    /// The time the features are computed for: the request's time online (or a time the caller passes), each row's own
    /// timestamp offline. Only meaningful inside a feature definition, where it is read as the plan's <c>Now</c>; calling
    /// it elsewhere throws.
    /// </summary>
    public static DateTime Now => throw new InvalidOperationException("F.Now is the time features are computed for; it has a value only inside a feature definition.");

    /// <summary>
    /// The window of a windowed definition (<see cref="FeatureSetBuilder{TEntity}.Windowed{T}"/>), as a duration: <c>7d</c> is
    /// seven days. Only meaningful inside a windowed definition.
    /// </summary>
    public static TimeSpan Window => throw new InvalidOperationException("F.Window has a value only inside a windowed feature definition.");
}
