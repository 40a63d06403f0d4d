namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// One entity's related rows as a feature reads them online, without allocating: the rows it sees as of <c>Now</c> (and
/// inside the window), in the entity's order, copied into a list the caller keeps and reuses from call to call.
/// </summary>
internal static class OnlineRows
{
    /// <summary>
    /// Fills <paramref name="scratch"/> with the rows of <paramref name="rows"/> visible as of <paramref name="now"/>
    /// (every row when <paramref name="eventTicks"/> is null) and returns it; null when <paramref name="rows"/> is null.
    /// </summary>
    /// <exception cref="ArgumentException">A row is null, or the relation has an event time and <paramref name="now"/> is null.</exception>
    public static List<T>? Visible<T>(List<T> scratch, IEnumerable<T>? rows, Func<T, long>? eventTicks, DateTime? now, TimeSpan? window, string relation)
        where T : class
    {
        if (rows is null) return null;
        if (eventTicks is not null && now is null)
            throw new ArgumentException($"Relation '{relation}' has an event time: give the time the features are computed for (now).", nameof(now));
        scratch.Clear();
        var nowTicks = now.GetValueOrDefault().Ticks;
        if (rows is List<T> own)
        {
            // The common online case: every row is already visible. Then the entity's own list is the answer (what the
            // C# function would be given), and nothing is copied; the first row that is not visible starts the copy.
            var visible = 0;
            while (visible < own.Count && IsVisible(own[visible], eventTicks, nowTicks, window, relation)) visible++;
            if (visible == own.Count) return own;
            for (var i = 0; i < visible; i++) scratch.Add(own[i]);
            for (var i = visible + 1; i < own.Count; i++) Add(scratch, own[i], eventTicks, nowTicks, window, relation);
        }
        else if (rows is IReadOnlyList<T> list)
        {
            // Indexing, not foreach: an interface's enumerator would be allocated.
            for (var i = 0; i < list.Count; i++) Add(scratch, list[i], eventTicks, nowTicks, window, relation);
        }
        else
        {
            foreach (var row in rows) Add(scratch, row, eventTicks, nowTicks, window, relation);
        }

        return scratch;
    }

    /// <summary>As <see cref="Visible{T}"/>, as a new array (an array parameter needs its exact length).</summary>
    public static T[]? VisibleArray<T>(List<T> scratch, IEnumerable<T>? rows, Func<T, long>? eventTicks, DateTime? now, TimeSpan? window, string relation)
        where T : class => Visible(scratch, rows, eventTicks, now, window, relation)?.ToArray();

    private static void Add<T>(List<T> scratch, T row, Func<T, long>? eventTicks, long now, TimeSpan? window, string relation)
        where T : class
    {
        if (IsVisible(row, eventTicks, now, window, relation)) scratch.Add(row);
    }

    private static bool IsVisible<T>(T row, Func<T, long>? eventTicks, long now, TimeSpan? window, string relation)
        where T : class
    {
        if (row is null) throw new ArgumentException($"Relation '{relation}' holds a null row.");
        return eventTicks is null || EventVisibility.Sees(eventTicks(row), now, window);
    }
}
