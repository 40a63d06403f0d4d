using System.Reflection;

namespace Dsl.TestSupport;

/// <summary>
/// What one evaluation did: returned a value (possibly null) or threw an exception of a type (its full name,
/// as <c>RowError.ExceptionType</c> reports it).
/// </summary>
public sealed record Outcome(object? Value, string? ExceptionType)
{
    public bool Threw => ExceptionType is not null;

    /// <summary>Runs <paramref name="evaluate"/> and records its value or the type of what it threw.</summary>
    public static Outcome Capture(Func<object?> evaluate)
    {
        try
        {
            return new Outcome(evaluate(), null);
        }
        catch (Exception exception)
        {
            while (exception is TargetInvocationException { InnerException: { } inner }) exception = inner;
            return new Outcome(null, exception.GetType().FullName);
        }
    }

    /// <summary>Invokes <paramref name="function"/> on a copy of <paramref name="row"/>.</summary>
    public static Outcome Of(Delegate function, object?[] row)
    {
        var arguments = RowGenerators.Copy(row);
        return Capture(() => function.DynamicInvoke(arguments));
    }

    /// <summary>Same exception type, or both returned values that are <see cref="ExactComparer"/>-equal.</summary>
    public bool Matches(Outcome other) =>
        Threw || other.Threw ? ExceptionType == other.ExceptionType : ExactComparer.AreEqual(Value, other.Value);

    public override string ToString() => Threw ? $"throws {ExceptionType}" : $"returns {ExactComparer.Describe(Value)}";
}
