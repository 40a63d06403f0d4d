namespace Dsl.Runtime;

/// <summary>
/// The typed online path over an entity with relations: evaluates every feature for one <typeparamref name="TEntity"/> —
/// its members as inputs, its relation properties as related rows (those visible as of <c>Now</c>), <c>Now</c> as given —
/// and writes each feature into the <typeparamref name="TOutput"/> member of the same name (the rules of
/// <see cref="FeatureRowEvaluator{TInput, TOutput}"/>). Compiled features run inline with no boxing; a call allocates
/// nothing (unless a feature throws, a feature reads related rows as an array, or a fallback feature allocates).
/// Create it once with <see cref="FeaturePlan.CreateEntityEvaluator{TEntity, TOutput}"/>; it is thread-safe.
/// </summary>
/// <remarks>
/// The related rows a feature reads are the entity's own, in its order; a null row in them is an
/// <see cref="ArgumentException"/>. When every row is visible and the entity holds them in a <see cref="List{T}"/>, each
/// feature is given that list itself (nothing is copied); otherwise the visible rows, in a list the evaluator keeps per
/// thread and reuses. Either way a resolver must not keep or change the list it is given past its call.
/// </remarks>
public sealed class EntityFeatureEvaluator<TEntity, TOutput>
    where TEntity : class
{
    private readonly Run _run;
    private readonly ThreadLocal<object[]> _scratch;

    internal delegate List<FeatureError>? Run(TEntity entity, DateTime? now, ref TOutput output, object[] scratch);

    internal EntityFeatureEvaluator(Run run, Func<object[]> newScratch)
    {
        _run = run;
        _scratch = new ThreadLocal<object[]>(newScratch);
    }

    /// <summary>
    /// Evaluates the features of <paramref name="entity"/> as of <paramref name="now"/> into <paramref name="output"/>
    /// (every feature member is written). Returns the features that threw; an empty list (not allocated) when none did.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="entity"/> or <paramref name="output"/> is a null reference.</exception>
    /// <exception cref="ArgumentException">The features need <paramref name="now"/> and it is null, or a relation holds a null row.</exception>
    public IReadOnlyList<FeatureError> Evaluate(TEntity entity, DateTime? now, ref TOutput output)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (output is null) throw new ArgumentNullException(nameof(output));
        return (IReadOnlyList<FeatureError>?)_run(entity, now, ref output, _scratch.Value!) ?? [];
    }
}
