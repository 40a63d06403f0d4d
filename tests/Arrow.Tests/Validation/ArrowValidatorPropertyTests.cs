using Dsl.ArrowExtensions.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.ArrowExtensions.Tests.Validation;

/// <summary>
/// Validation is what makes reading safe: on any array — well-formed or damaged (see <see cref="ArrayCorruption"/>) —
/// <see cref="ArrowValidator"/> either refuses it with an <see cref="ArrowValidationException"/> that names the
/// column, buffer and rule, or accepts it, and then every value reads through Apache.Arrow's own accessors without
/// an exception (accessors that slice spans throw on anything out of bounds, so an accepted array that would read
/// outside its buffers fails here rather than passing by luck).
/// </summary>
[NonParallelizable]
public class ArrowValidatorPropertyTests
{
    private const string ColumnName = "column 0 ('c')";

    private static readonly HashSet<string> s_rules =
    [
        "buffer-count", "buffer-size", "null-count", "offsets-start", "offsets-monotonic", "offsets-bound", "child-count", "child-type",
        "child-length", "dictionary-missing", "dictionary-type", "dictionary-index", "decimal-precision", "column-length", "schema", "length",
    ];

    /// <summary>A generated case: a well-formed column and the damage done to it.</summary>
    internal sealed record Case(ValidArrays.Column Column, ArrayCorruption.Mutation? Mutation)
    {
        public override string ToString() => $"{Column}; {Mutation?.ToString() ?? "undamaged"}";
    }

    [Test]
    public void Validate_WellFormedArrays_PassAndReadEveryValue()
    {
        var outcomes = new Dictionary<string, int>();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2_000), Prop.ForAll(Arb.From(ValidArrays.Columns()), column =>
        {
            var outcome = ValidateThenRead(new Case(column, null));
            Assert.That(outcome, Is.EqualTo("read"), column.Description);
            Count(outcomes, outcome);
        }));

        Assert.That(outcomes["read"], Is.EqualTo(2_000));
    }

    [Test]
    public void Validate_DamagedArrays_CleanErrorNamingColumnBufferAndRuleOrEveryValueReads()
    {
        var cases = from column in ValidArrays.Columns() from mutation in ArrayCorruption.Mutations() select new Case(column, mutation);
        var outcomes = new Dictionary<string, int>();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(10_000), Prop.ForAll(Arb.From(cases), c => Count(outcomes, ValidateThenRead(c))));

        TestContext.Out.WriteLine(string.Join(", ", outcomes.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key}: {pair.Value}")));
        Assert.That(outcomes.Values.Sum(), Is.EqualTo(10_000));
        Assert.That(outcomes.GetValueOrDefault("read"), Is.GreaterThan(100), "some damage leaves a readable array (values changed, nothing out of bounds)");
        string[] expected = ["buffer-count", "buffer-size", "null-count", "offsets-start", "offsets-monotonic", "offsets-bound", "child-count", "child-type", "child-length", "dictionary-missing", "dictionary-type", "dictionary-index", "decimal-precision", "column-length", "length"];
        Assert.That(outcomes.Keys, Is.SupersetOf(expected.Select(rule => "rejected: " + rule)), "every kind of damage is generated and caught by its rule");
    }

    /// <summary>"read" when the array passes and reads fully; "rejected: rule" for a clean refusal; anything else fails the property.</summary>
    private static string ValidateThenRead(Case c)
    {
        var data = c.Mutation is null ? c.Column.Array.Data : ArrayCorruption.Apply(c.Column.Array.Data, c.Mutation);
        var batchLength = data.Length + (c.Mutation is ArrayCorruption.BatchLength batch ? batch.Delta : 0);

        // Apache.Arrow's array and batch constructors check a few things themselves (buffer counts, types, a negative
        // length); when they refuse, the damaged data never becomes a column, and the validator sees the data alone.
        var array = TryBuild(data);
        try
        {
            if (array is null || batchLength < 0) ArrayDataRules.Validate(data, ColumnName);
            else ArrowValidator.Validate(new RecordBatch(new Schema([new Field("c", data.DataType, true)], null), [array], batchLength));
        }
        catch (ArrowValidationException error)
        {
            Assert.That(error.Column, Does.StartWith(ColumnName), c.ToString());
            Assert.That(s_rules, Does.Contain(error.Rule), c.ToString());
            Assert.That(error.Buffer, Is.Not.Empty, c.ToString());
            Assert.That(error.Row, Is.Null.Or.GreaterThanOrEqualTo(0), c.ToString());
            Assert.That(error.Message, Does.StartWith($"{error.Column}, {error.Buffer}").And.EndWith($"(rule: {error.Rule})."), c.ToString());
            return "rejected: " + error.Rule;
        }

        try
        {
            _ = ArrayValues.Render(array ?? ArrowArrayFactory.BuildArray(data));
        }
        catch (Exception exception)
        {
            Assert.Fail($"The validator accepted {c} but reading it threw {exception}");
        }

        return "read";
    }

    private static IArrowArray? TryBuild(ArrayData data)
    {
        try
        {
            return ArrowArrayFactory.BuildArray(data);
        }
        catch (Exception exception) when (exception is ArgumentException or IndexOutOfRangeException or NullReferenceException or InvalidCastException)
        {
            return null;
        }
    }

    private static void Count(Dictionary<string, int> outcomes, string outcome) => outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
}
