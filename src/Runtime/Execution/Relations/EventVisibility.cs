using System.Linq.Expressions;

namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// Point-in-time visibility of a related row, the one rule every path applies (the segmented kernel applies it to raw
/// timestamps): a row is visible to a parent computed as of <c>Now</c> when its event time is at or before <c>Now</c>,
/// and inside the window (<c>Now − w</c>, <c>Now</c>] when the feature has one; a row whose event time is null is never
/// visible, whatever <c>Now</c> is (<see cref="DateTime.MaxValue"/> included).
/// </summary>
internal static class EventVisibility
{
    /// <summary>The event ticks of a row whose event time is null: no instant, so never visible.</summary>
    public const long Null = long.MinValue;

    /// <summary>Whether a row with event ticks <paramref name="at"/> (<see cref="Null"/> for none) is visible as of <paramref name="now"/>.</summary>
    public static bool Sees(long at, long now, TimeSpan? window) =>
        at != Null && at <= now && (window is not { } w || at > now - w.Ticks);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type Type, string Property), Func<object, long>> s_readers = new();

    /// <summary>
    /// A compiled reader of <paramref name="property"/> (a <see cref="DateTime"/> or <c>DateTime?</c>) of <paramref name="type"/> as
    /// ticks, <see cref="Null"/> for null; compiled once per (type, property), since the untyped online path asks per call.
    /// </summary>
    public static Func<object, long> TicksReader(Type type, string property) =>
        s_readers.GetOrAdd((type, property), key => (Func<object, long>)TicksLambda(typeof(object), key.Type, key.Property).Compile());

    /// <summary>As <see cref="TicksReader"/>, typed: a <c>Func&lt;<paramref name="type"/>, long&gt;</c>.</summary>
    public static Delegate TypedTicksReader(Type type, string property) => TicksLambda(type, type, property).Compile();

    private static LambdaExpression TicksLambda(Type parameterType, Type type, string property)
    {
        var element = Expression.Parameter(parameterType, "element");
        var read = Expression.Property(parameterType == type ? element : Expression.Convert(element, type), property);
        var ticks = read.Type == typeof(DateTime)
            ? Expression.Property(read, nameof(DateTime.Ticks))
            : (Expression)Expression.Condition(Expression.Property(read, nameof(Nullable<DateTime>.HasValue)),
                Expression.Property(Expression.Property(read, nameof(Nullable<DateTime>.Value)), nameof(DateTime.Ticks)), Expression.Constant(Null));
        return Expression.Lambda(typeof(Func<,>).MakeGenericType(parameterType, typeof(long)), ticks, element);
    }
}
