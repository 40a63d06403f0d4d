using Dsl.Lowering.Ir;

namespace Dsl.Lowering;

/// <summary>
/// Marks a catalogue method that computes an aggregate over a sequence of values (<c>F.VarianceSample</c>,
/// <c>F.Percentile</c>, …): both front ends lower a call to it into a <see cref="ListAggregateExpression"/> of
/// <see cref="Kind"/> whose reduction calls the method itself, so the method's C# is the reference semantics. The
/// method must be static, non-generic, and take an <see cref="IEnumerable{T}"/> of the values (and, for a percentile,
/// the fraction). Lowering finds it by this attribute alone, so it never names the assembly that defines the catalogue.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class AggregateIntrinsicAttribute(ListAggregateKind kind) : Attribute
{
    public ListAggregateKind Kind { get; } = kind;

    /// <summary>
    /// For a <see cref="ListAggregateKind.Percentile"/> method without a fraction parameter (the median): the fraction it
    /// uses, recorded as the node's argument for code generators. NaN otherwise.
    /// </summary>
    public double Fraction { get; set; } = double.NaN;
}
