using System.Globalization;

namespace Dsl.Engine.Offline;

/// <summary>
/// Where a <see cref="ParquetOfflineStore"/> keeps its files:
/// <c>{root}/{Entity}/{Feature}/day={yyyy-MM-dd}/part-{first write_seq, 19 digits}-{rows}.parquet</c>, the day being the UTC
/// day of the rows' feature time. A file is written as <c>.{name}.tmp</c> in its day folder and renamed when complete, so a
/// name without the dot and <c>.tmp</c> is always a whole file; temporary files left by a crash are deleted when the store opens.
/// </summary>
internal static class OfflineLayout
{
    private const string DayPrefix = "day=";
    private const string PartPrefix = "part-";
    private const string TempSuffix = ".tmp";

    public static string FeatureDirectory(string root, string entity, string feature) => Path.Combine(root, entity, feature);

    public static string DayDirectory(string root, string entity, string feature, DateOnly day) =>
        Path.Combine(FeatureDirectory(root, entity, feature), DayPrefix + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public static string PartName(long firstSequence, int rows) =>
        $"{PartPrefix}{firstSequence.ToString("D19", CultureInfo.InvariantCulture)}-{rows.ToString(CultureInfo.InvariantCulture)}.parquet";

    public static string TempPath(string finalPath) => Path.Combine(Path.GetDirectoryName(finalPath)!, "." + Path.GetFileName(finalPath) + TempSuffix);

    /// <summary>The complete part files of a feature, in write order.</summary>
    public static IEnumerable<string> Parts(string root, string entity, string feature)
    {
        var directory = FeatureDirectory(root, entity, feature);
        if (!Directory.Exists(directory)) return [];
        return Directory.EnumerateDirectories(directory, DayPrefix + "*")
            .SelectMany(day => Directory.EnumerateFiles(day, PartPrefix + "*.parquet"))
            .OrderBy(p => Path.GetFileName(p), StringComparer.Ordinal);
    }

    /// <summary>The sequence number after the last row of a part file's name (its first number plus its row count), or 0.</summary>
    public static long NextSequence(string partPath)
    {
        var parts = Path.GetFileNameWithoutExtension(partPath)[PartPrefix.Length..].Split('-');
        return parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var first) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var rows)
            ? first + rows : 0;
    }

    /// <summary>Every temporary file under <paramref name="root"/>: what a writer that crashed left behind.</summary>
    public static IEnumerable<string> Abandoned(string root) =>
        Directory.EnumerateFiles(root, "." + PartPrefix + "*" + TempSuffix, SearchOption.AllDirectories);

    /// <summary>The features with a folder under the entity's.</summary>
    public static IReadOnlyList<string> Features(string root, string entity)
    {
        var directory = Path.Combine(root, entity);
        return Directory.Exists(directory) ? [.. Directory.EnumerateDirectories(directory).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)] : [];
    }
}
