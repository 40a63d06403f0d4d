using System.Runtime.CompilerServices;

namespace Dsl.Runtime;

/// <summary>
/// The typed online form of a <see cref="FeaturePlan"/>: evaluates every feature for one row read from a
/// <typeparamref name="TInput"/> and writes each feature into the <typeparamref name="TOutput"/> member of the same
/// name, with no boxing and no allocation (unless a feature throws). Create it once with
/// <see cref="FeaturePlan.CreateRowEvaluator{TInput, TOutput}"/> and call <see cref="Evaluate"/> per row; it is
/// thread-safe.
/// </summary>
/// <typeparam name="TInput">
/// A class or struct with a public readable property or field per <see cref="FeaturePlan.Inputs"/> entry, matched by
/// name as batch columns are (exactly, else the only case-insensitive match), of the input's type or its
/// non-nullable form (<c>double</c> or <c>double?</c> for a <c>double?</c> input).
/// </typeparam>
/// <typeparam name="TOutput">
/// A class or struct with a public writable property or field per feature, matched the same way, of the feature's
/// type or its nullable form (<c>double</c> or <c>double?</c> for a <c>double</c> feature; <c>double?</c> for a
/// <c>double?</c> feature). It may be the input type: one object can carry the inputs and receive the features.
/// </typeparam>
/// <remarks>
/// The answers are those of <see cref="FeaturePlan.Invoke(object?[])"/>: a feature that throws, returns null, or
/// has a null input for a non-nullable value-type parameter is null — written as null to a nullable member and as
/// <c>default</c> to a non-nullable one (the returned errors tell a feature that threw from one that gave 0).
/// </remarks>
public sealed class FeatureRowEvaluator<TInput, TOutput>
{
    private readonly Run _run;

    internal delegate List<FeatureError>? Run(ref TInput input, ref TOutput output);

    internal FeatureRowEvaluator(Run run) => _run = run;

    /// <summary>
    /// Evaluates the features for <paramref name="input"/> into <paramref name="output"/> (every feature member is
    /// written). Returns the features that threw, in evaluation order; an empty list (not allocated) when none did.
    /// </summary>
    /// <param name="input">The row's inputs (a class instance must not be null).</param>
    /// <param name="output">Receives the features (a class instance must not be null).</param>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> or <paramref name="output"/> is a null reference.</exception>
    public IReadOnlyList<FeatureError> Evaluate(in TInput input, ref TOutput output)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        if (output is null) throw new ArgumentNullException(nameof(output));
        return (IReadOnlyList<FeatureError>?)_run(ref Unsafe.AsRef(in input), ref output) ?? [];
    }
}
