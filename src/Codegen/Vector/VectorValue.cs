using System.Linq.Expressions;

namespace Dsl.Codegen.Vector;

/// <summary>
/// One IR value over the lanes of a block: <see cref="Values"/> is a vector of the value's element type (a lane
/// mask for booleans); <see cref="Valid"/> the lanes holding a non-null value (null = every lane);
/// <see cref="Errors"/> the lanes where evaluating the value as the scalar IR would throw (null = none). The lane
/// values of invalid or failing lanes are unspecified.
/// </summary>
/// <remarks>
/// Invariant: on every lane outside <see cref="Errors"/>, the scalar IR evaluates without throwing and gives
/// exactly the lane's value (bits) or null where <see cref="Valid"/> is clear. <see cref="Errors"/> may include
/// lanes that would not throw (they are re-run by the exact scalar path), never the other way round.
/// </remarks>
internal sealed record VectorValue(Type Type, Expression Values, Expression? Valid = null, Expression? Errors = null)
{
    /// <summary>The scalar element type of the lanes (the underlying type of a nullable).</summary>
    public Type Element => Nullable.GetUnderlyingType(Type) ?? Type;
}
