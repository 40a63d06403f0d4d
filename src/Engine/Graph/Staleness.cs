using System.Globalization;

namespace Dsl.Engine.Graph;

/// <summary>Reads and writes maximum staleness as text: <c>0</c>, <c>30s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c>, <c>infinite</c>.</summary>
public static class Staleness
{
    /// <summary>Infinite staleness: a stored value of any age serves.</summary>
    public static TimeSpan Infinite => Timeout.InfiniteTimeSpan;

    /// <summary>The duration <paramref name="text"/> names.</summary>
    /// <exception cref="ArgumentException">The text is not <c>infinite</c>, <c>0</c>, or a whole number and a unit s, m, h or d.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Equals("infinite", StringComparison.OrdinalIgnoreCase)) return Infinite;
        if (trimmed == "0") return TimeSpan.Zero;
        if (trimmed.Length >= 2 && long.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= 100_000)
        {
            switch (char.ToLowerInvariant(trimmed[^1]))
            {
                case 's': return TimeSpan.FromSeconds(count);
                case 'm': return TimeSpan.FromMinutes(count);
                case 'h': return TimeSpan.FromHours(count);
                case 'd': return TimeSpan.FromDays(count);
            }
        }
        throw new ArgumentException($"'{text}' is not a staleness: write infinite, 0, or a whole number and a unit s, m, h or d (30s, 5m, 1d).", nameof(text));
    }

    /// <summary>The text form (<c>5m</c>, <c>infinite</c>).</summary>
    public static string Format(TimeSpan staleness) =>
        staleness == Infinite ? "infinite"
        : staleness == TimeSpan.Zero ? "0"
        : staleness.Ticks % TimeSpan.TicksPerDay == 0 ? $"{(long)staleness.TotalDays}d"
        : staleness.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(long)staleness.TotalHours}h"
        : staleness.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(long)staleness.TotalMinutes}m"
        : $"{staleness.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
}
