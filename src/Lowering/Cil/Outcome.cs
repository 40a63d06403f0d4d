using System.Linq.Expressions;
using Dsl.Lowering.Analyses;

namespace Dsl.Lowering.Cil;

/// <summary>
/// What running a region of a method (from a block up to a stop block) produced: every path reached the
/// stop (<see cref="FallsThrough"/>), every path returned (<see cref="Returns"/>), or some returned and the
/// others reached the stop (<see cref="PartlyReturns"/>: when <c>Condition</c> holds the function returns
/// <c>Value</c>, otherwise it continues in <c>State</c>).
/// </summary>
internal abstract record Outcome;

internal sealed record FallsThrough(SymbolicState State) : Outcome;

/// <summary>All paths returned <see cref="Value"/> (a conditional over them), after the evaluations in <see cref="Effects"/>.</summary>
internal sealed record Returns(Expression Value, EffectLog Effects) : Outcome;

internal sealed record PartlyReturns(Expression Condition, Expression Value, EffectLog Effects, SymbolicState State) : Outcome;
