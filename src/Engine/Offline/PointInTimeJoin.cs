namespace Dsl.Engine.Offline;

/// <summary>
/// The point-in-time join of spine rows to stored values, as one merge over both sorted by key and time: for each spine row,
/// the stored row of the same key with the latest feature time at or before the row's time (ties: the latest write time, then
/// the latest write sequence), unless it is older than the time to live.
/// </summary>
internal static class PointInTimeJoin
{
    /// <summary>
    /// For each of <paramref name="rows"/> (spine row numbers), the index of its stored row in <paramref name="stored"/>, or -1 when
    /// there is none (no value at or before its time, or the latest is older than <paramref name="ttlMicros"/>).
    /// </summary>
    public static int[] Match(long[] codes, long[] micros, int[] rows, StoredRows stored, long? ttlMicros)
    {
        // Positions in rows, sorted by (key, time); equal times keep no particular order (they get the same answer).
        var order = new int[rows.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            var c = codes[rows[a]].CompareTo(codes[rows[b]]);
            return c != 0 ? c : micros[rows[a]].CompareTo(micros[rows[b]]);
        });
        var matches = new int[rows.Length];
        var s = 0;
        var best = -1;
        var bestKey = long.MinValue;
        foreach (var position in order)
        {
            var row = rows[position];
            var key = codes[row];
            if (key != bestKey) best = -1;
            bestKey = key;
            while (s < stored.Length && (stored.Keys[s] < key || (stored.Keys[s] == key && stored.FeatureTimes[s] <= micros[row])))
            {
                if (stored.Keys[s] == key) best = s;
                s++;
            }
            matches[position] = best >= 0 && (ttlMicros is not { } ttl || micros[row] - stored.FeatureTimes[best] <= ttl) ? best : -1;
        }
        return matches;
    }
}
