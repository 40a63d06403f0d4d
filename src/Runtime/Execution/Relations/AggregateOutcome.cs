namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// How a feature reads an aggregate the segmented kernel computed for its row when that aggregate can fail: the value,
/// or — exactly where the feature's code evaluates the aggregate, so that laziness and the order of exceptions are the
/// function's own — the exception the aggregate ended with (rebuilt from its type and message: the same
/// <see cref="RowError"/> as evaluating the aggregate row by row).
/// </summary>
internal static class AggregateOutcome
{
    /// <summary>The serialized form of an aggregate's exception in its error column.</summary>
    public static string Serialize(string exceptionType, string message) => $"{exceptionType}\n{message}";

    /// <summary>The aggregate's value, or its exception thrown.</summary>
    public static T Value<T>(T? value, string? error)
        where T : struct => error is null ? value.GetValueOrDefault() : throw Rebuild(error);

    /// <summary>The aggregate's nullable value, or its exception thrown.</summary>
    public static T? NullableValue<T>(T? value, string? error)
        where T : struct => error is null ? value : throw Rebuild(error);

    /// <summary>The aggregate's reference value, or its exception thrown.</summary>
    public static T? Reference<T>(T? value, string? error)
        where T : class => error is null ? value : throw Rebuild(error);

    private static Exception Rebuild(string error)
    {
        var split = error.IndexOf('\n', StringComparison.Ordinal);
        var name = error[..split];
        var type = Type.GetType(name, throwOnError: false)
            ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name, throwOnError: false)).FirstOrDefault(t => t is not null);
        var message = error[(split + 1)..];
        if (type is null || !typeof(Exception).IsAssignableFrom(type)) return new InvalidOperationException(message);
        // (message, inner) first: for ArgumentNullException and its kin the one-string constructor takes a parameter name.
        var withInner = type.GetConstructor([typeof(string), typeof(Exception)]);
        if (withInner is not null) return (Exception)withInner.Invoke([message, null]);
        var withMessage = type.GetConstructor([typeof(string)]);
        return withMessage is not null ? (Exception)withMessage.Invoke([message]) : new InvalidOperationException(message);
    }
}
