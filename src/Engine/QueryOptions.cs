namespace Dsl.Engine;

/// <summary>Settings of one query.</summary>
public sealed record QueryOptions
{
    /// <summary>The defaults: now is the clock's time, the store is used, declared staleness applies.</summary>
    public static QueryOptions Default { get; } = new();

    /// <summary>The time the features are computed for (<c>F.Now</c>; related rows after it are invisible); the clock's UTC time when null.</summary>
    public DateTime? Now { get; init; }

    /// <summary>
    /// Per feature (<c>user.total_spend</c>), a maximum staleness replacing the declared one for this query: zero forces a
    /// computation, <see cref="Timeout.InfiniteTimeSpan"/> takes a stored value of any age.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan>? MaxStaleness { get; init; }

    /// <summary>Whether a timing per step is measured and returned (it is cheap; on by default).</summary>
    public bool Timings { get; init; } = true;
}
