using Apache.Arrow.Types;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Tests.Support;
using Dsl.Lowering;
using Dsl.TestSupport.Columns;
using Dsl.TestSupport.Corpus;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Codegen.Tests.Corpus;

/// <summary>
/// Every lowering-corpus entry that lowers runs through a generated kernel and must equal calling the original
/// delegate row by row (values by bits, nulls, error rows with exception type and message; the delegate's result
/// as its output column holds it, <see cref="Dsl.TestSupport.OutputRepresentation"/>) on generated columns
/// with no, some, many and only nulls, at every length of <see cref="ColumnValues.EdgeLengths"/>, unsliced and sliced at an odd offset.
/// Entries that lower but cannot run as a kernel are listed below with the reason, and the lists are checked.
/// </summary>
[TestFixture]
public sealed class CorpusKernelTests
{
    private const int Rows = 1000;
    /// <summary>Null rates (percent) of the generated data sets: every column of a data set has the same rate.</summary>
    private static readonly int[] s_nullPercents = [0, 10, 50, 100];
    private static readonly int[] s_oddOffsets = [1, 3, 7, 13];

    /// <summary>Lowering entries with a parameter of a CLR type no Arrow column binds to (see <see cref="ColumnTypes"/>).</summary>
    private static readonly Dictionary<string, string> s_noColumnMapping = new();

    /// <summary>Lowering entries whose IR the kernel compiler rejects (the compiled function falls back row by row).</summary>
    private static readonly Dictionary<string, string> s_noKernel = new();

    /// <summary>
    /// Known kernel ≠ row-by-row bugs: the entry must still mismatch, with the given symptom in the failure (when it
    /// starts to match, the entry leaves this list and the full comparison applies again).
    /// </summary>
    private static readonly Dictionary<string, (string Bug, string Symptom)> s_knownMismatches = new();

    /// <summary>
    /// The decimal128 column types decimal parameters also run over, besides their result type (38, 28): one that
    /// holds ±decimal.MaxValue, money, and one whose large values read at a lower scale than small ones.
    /// </summary>
    private static readonly Decimal128Type[] s_decimalInputs = [new(29, 0), new(12, 2), new(38, 10)];

    private static IEnumerable<CorpusEntry> Lowering() => LoweringCorpus.All.Where(e => e.ExpectedFallback is null);

    private static IEnumerable<TestCaseData> Runnable() =>
        Lowering().Where(e => !s_noColumnMapping.ContainsKey(e.Name) && !s_noKernel.ContainsKey(e.Name))
            .Select(e => new TestCaseData(e).SetArgDisplayNames(e.Name));

    [TestCaseSource(nameof(Runnable))]
    public void Kernel_OfCorpusEntry_EqualsDelegateRowByRow(CorpusEntry entry)
    {
        var types = ColumnTypesOf(entry.Function) ?? throw new AssertionException($"{entry.Name}: a parameter has no Arrow column type");
        if (types.Any(t => t is Decimal128Type))
        {
            foreach (var decimalType in s_decimalInputs)
            {
                var variant = types.Select(t => t is Decimal128Type ? decimalType : t).ToArray();
                CheckEveryLengthAndNullRate(entry, variant, CompileKernel(entry, variant));
            }
        }

        var kernel = CompileKernel(entry, types);
        if (s_knownMismatches.TryGetValue(entry.Name, out var known))
        {
            string? failure = null;
            using (new NUnit.Framework.Internal.TestExecutionContext.IsolatedContext())
            {
                try
                {
                    CheckEveryLengthAndNullRate(entry, types, kernel);
                }
                catch (AssertionException mismatch)
                {
                    failure = mismatch.Message;
                }
            }

            Assert.That(failure, Is.Not.Null, $"{entry.Name} now equals the delegate: remove it from the known mismatches");
            Assert.That(failure, Does.Contain(known.Symptom), $"{entry.Name} mismatches differently from the known bug ({known.Bug})");
            return;
        }

        CheckEveryLengthAndNullRate(entry, types, kernel);
    }

    private static void CheckEveryLengthAndNullRate(CorpusEntry entry, IArrowType[] types, IKernel kernel)
    {
        foreach (int nullPercent in s_nullPercents)
        {
            var columns = types.Select((type, k) => Gen.Sample(Column(type, nullPercent), 10, new Rnd((ulong)nullPercent * 31UL + (ulong)k + 1), 1)[0]).ToArray();
            // The reference runs on copies: a delegate that writes into an input array must not change the kernel's input.
            var parameterTypes = entry.Function.GetType().GetMethod("Invoke")!.GetParameters().Select(p => p.ParameterType).ToArray();
            var reference = KernelHarness.Reference(entry.Function, columns.Select((c, k) => ReferenceColumn(c, parameterTypes[k])).ToArray(), Rows);
            if (nullPercent == 0)
                Assert.That(reference.Values.Any(v => v is not null) || reference.Errors.Count > 0, Is.True, $"{entry.Name}: no row computed anything");
            for (int i = 0; i < ColumnValues.EdgeLengths.Length; i++)
            {
                int length = ColumnValues.EdgeLengths[i];
                var prefix = columns.Select(c => c[..length]).ToArray();
                var expected = new KernelOutcome(reference.Values[..length], reference.Errors.Where(e => e.Row < length).ToList());
                int offset = s_oddOffsets[i % s_oddOffsets.Length];
                KernelHarness.AssertSame(expected, KernelHarness.Run(kernel, types, prefix, length),
                    $"{entry.Name}, {nullPercent}% nulls, length {length}");
                KernelHarness.AssertSame(expected, KernelHarness.Run(kernel, types, prefix, length, offset, alwaysBitmap: i % 2 == 0),
                    $"{entry.Name}, {nullPercent}% nulls, length {length}, sliced at offset {offset}");
            }
        }
    }

    [Test]
    public void LoweringEntriesWithoutColumnMapping_AreExactlyThoseListed()
    {
        var unmapped = Lowering().Where(e => ColumnTypesOf(e.Function) is null).Select(e => e.Name);

        Assert.That(unmapped, Is.EquivalentTo(s_noColumnMapping.Keys));
    }

    [Test]
    public void LoweringEntriesWithoutKernel_AreExactlyThoseListed()
    {
        var rejected = new List<string>();
        foreach (var entry in Lowering())
        {
            if (ColumnTypesOf(entry.Function) is not { } types) continue;
            var lowered = Lowerer.Lower(entry.Function);
            Assert.That(lowered.Succeeded, Is.True, () => $"{entry.Name} fell back: {lowered.Fallback}");
            try
            {
                KernelCompiler.Compile(lowered.Ir!, types);
            }
            catch (NotSupportedException)
            {
                rejected.Add(entry.Name);
            }
        }

        Assert.That(rejected, Is.EquivalentTo(s_noKernel.Keys));
    }

    private static IKernel CompileKernel(CorpusEntry entry, IArrowType[] types)
    {
        var lowered = Lowerer.Lower(entry.Function);
        Assert.That(lowered.Succeeded, Is.True, () => $"{entry.Name} fell back: {lowered.Fallback}");
        return KernelCompiler.Compile(lowered.Ir!, types);
    }

    /// <summary>The Arrow column type of each parameter (<c>T?</c> binds to the column of <c>T</c>), or null if one has none.</summary>
    private static IArrowType[]? ColumnTypesOf(Delegate function)
    {
        var parameters = function.GetType().GetMethod("Invoke")!.GetParameters();
        var types = new IArrowType[parameters.Length];
        for (int k = 0; k < parameters.Length; k++)
        {
            try
            {
                types[k] = ColumnTypes.ArrowTypeOf(parameters[k].ParameterType);
            }
            catch (NotSupportedException)
            {
                return null;
            }

            if (!ColumnTypes.CanBind(types[k], parameters[k].ParameterType)) return null;
        }

        return types;
    }

    /// <summary>A column of <see cref="Rows"/> generated values of <paramref name="type"/>, null at the given rate.</summary>
    private static Gen<object?[]> Column(IArrowType type, int nullPercent) =>
        Gen.Frequency((100 - nullPercent, ColumnValues.Values(type).Select(v => (object?)v)), (nullPercent, Gen.Constant((object?)null))).ArrayOf(Rows);

    /// <summary>
    /// A copy of the column's values as the delegate takes them: a uint16 value as the <c>char</c> it stores, an
    /// integer as the enum value it stores (named by a member or not).
    /// </summary>
    private static object?[] ReferenceColumn(object?[] column, Type parameterType)
    {
        var type = Nullable.GetUnderlyingType(parameterType) ?? parameterType;
        return column.Select(v => v switch
        {
            System.Array a => a.Clone(),
            ushort unit when type == typeof(char) => (char)unit,
            not null when type.IsEnum => Enum.ToObject(type, v),
            _ => v,
        }).ToArray();
    }
}
