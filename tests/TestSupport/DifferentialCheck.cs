using FsCheck;
using FsCheck.Fluent;

namespace Dsl.TestSupport;

/// <summary>
/// The differential property every exact path is held to: on generated rows, a candidate (compiled IR, kernel)
/// and the reference (the user's delegate, row by row) have matching <see cref="Outcome"/>s.
/// </summary>
public static class DifferentialCheck
{
    /// <summary>
    /// Checks <paramref name="candidate"/> against <paramref name="reference"/> on <paramref name="rows"/> rows drawn
    /// from <paramref name="generator"/>; throws with the first row that differs (FsCheck reports it).
    /// </summary>
    public static void Run(string name, Func<object?[], Outcome> reference, Func<object?[], Outcome> candidate, Gen<object?[]> generator, int rows = 200)
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(rows).WithQuietOnSuccess(true).WithName(name);
        Prop.ForAll(generator.ToArbitrary(), (object?[] row) =>
        {
            var expected = reference(row);
            var actual = candidate(row);
            if (!expected.Matches(actual))
                throw new DifferentialMismatchException(name, row, expected, actual);
        }).Check(config);
    }

    /// <summary><see cref="Run(string, Func{object?[], Outcome}, Func{object?[], Outcome}, Gen{object?[]}, int)"/> for two delegates of the same signature.</summary>
    public static void Run(string name, Delegate reference, Delegate candidate, int rows = 200) =>
        Run(name, row => Outcome.Of(reference, row), row => Outcome.Of(candidate, row), RowGenerators.For(reference), rows);
}

/// <summary>A row on which the candidate and the reference disagree.</summary>
public sealed class DifferentialMismatchException(string name, object?[] row, Outcome expected, Outcome actual)
    : Exception($"{name}: on row {ExactComparer.DescribeRow(row)} the reference {expected} but the candidate {actual}.");
