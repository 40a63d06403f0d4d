namespace Dsl;

/// <summary>
/// The function catalogue: small, deterministic functions usable from string expressions
/// (<c>"F.Clamp(score, 0, 1)"</c>) and from resolvers (<c>F.Clamp(score, 0, 1)</c> in C#).
/// </summary>
/// <remarks>
/// Every function is an ordinary static, non-virtual method with a short body built from operators and
/// BCL calls, so the CIL front end can inline it into a resolver's IR exactly as it inlines the user's own
/// helpers. Functions are plain methods: their arguments are evaluated before the call (use
/// <c>c ? a : b</c> or <c>??</c> for lazy evaluation). Failures are the BCL's own: a null string argument
/// throws <see cref="NullReferenceException"/>, an out-of-range index <see cref="ArgumentOutOfRangeException"/>.
/// String functions are ordinal and culture-invariant. The full list is in <c>docs/functions.md</c>.
/// </remarks>
public static partial class F
{
    /// <summary>The value when it is not null, otherwise the fallback (the same as <c>value ?? fallback</c>).</summary>
    public static T Coalesce<T>(T? value, T fallback) where T : struct => value ?? fallback;

    /// <summary>The value when it is not null, otherwise the fallback, which may itself be null.</summary>
    public static T? Coalesce<T>(T? value, T? fallback) where T : struct => value ?? fallback;

    /// <summary>The string when it is not null, otherwise the fallback.</summary>
    public static string Coalesce(string? value, string fallback) => value ?? fallback;

    /// <summary>
    /// <paramref name="whenTrue"/> when the condition holds, otherwise <paramref name="whenFalse"/>.
    /// Both arms are evaluated (this is a method call); write <c>condition ? a : b</c> to evaluate only one.
    /// </summary>
    public static T IfThenElse<T>(bool condition, T whenTrue, T whenFalse) => condition ? whenTrue : whenFalse;

    /// <summary>True when the value is null.</summary>
    public static bool IsNull<T>(T? value) where T : struct => !value.HasValue;

    /// <summary>True when the string is null or empty.</summary>
    public static bool IsNullOrEmpty(string? value) => string.IsNullOrEmpty(value);
}
