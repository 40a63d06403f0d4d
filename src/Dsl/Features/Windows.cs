using System.Globalization;

namespace Dsl.Features;

/// <summary>Parses window durations: a whole number and a unit, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c> or <c>w</c> (<c>90m</c>, <c>7d</c>).</summary>
internal static class Windows
{
    public static TimeSpan Parse(string text, string entity, string feature)
    {
        if (!string.IsNullOrEmpty(text) && text.Length >= 2
            && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
        {
            var unit = text[^1] switch
            {
                's' => TimeSpan.TicksPerSecond,
                'm' => TimeSpan.TicksPerMinute,
                'h' => TimeSpan.TicksPerHour,
                'd' => TimeSpan.TicksPerDay,
                'w' => TimeSpan.TicksPerDay * 7,
                _ => 0,
            };
            if (unit > 0 && count <= TimeSpan.MaxValue.Ticks / unit) return new TimeSpan(count * unit);
        }

        throw new FeatureDefinitionException(entity, feature, $"the window '{text}' is not a positive whole number followed by s, m, h, d or w (as in 30m, 1h, 7d)");
    }
}
