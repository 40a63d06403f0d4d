using Dsl.Fuzz.Compilation;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace Dsl.Fuzz.Generation;

[TestFixture]
public sealed class ProgramGeneratorTests
{
    /// <summary>Three hundred programs of every size, compiled once (Roslyn's warm-up dominates a first compile).</summary>
    private static readonly Lazy<IReadOnlyList<CompiledProgram>> s_compiled = new(() =>
        ProgramCompiler.Compile(Enumerable.Range(0, 300).Select(seed => ProgramGenerator.Generate(seed * 7919, 1 + seed % 100)).ToList()));

    [Test]
    public void Generate_SameSeedAndSize_SameSource()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            Assert.That(ProgramGenerator.Generate(seed, 60).RenderLambda(), Is.EqualTo(ProgramGenerator.Generate(seed, 60).RenderLambda()));
        }
    }

    [Test]
    public void Generate_ThreeHundredSeeds_AllCompileWithRoslyn()
    {
        var failures = s_compiled.Value.Where(c => c.Function is null).Select(c => $"{c.Source}\n{c.Errors}").ToList();
        Assert.That(failures, Is.Empty, string.Join("\n\n", failures.Take(3)));
    }

    [Test]
    public void Generate_DebugIl_CompilesToo()
    {
        var programs = Enumerable.Range(0, 30).Select(seed => ProgramGenerator.Generate(seed, 80)).ToList();

        var compiled = ProgramCompiler.Compile(programs, optimize: false);

        Assert.That(compiled.Count(c => c.Function is not null), Is.EqualTo(30));
    }

    [Test]
    public void Generate_ThousandPrograms_UseEveryConstruct()
    {
        var seen = Enumerable.Range(0, 1000).SelectMany(seed => ProgramGenerator.Generate(seed, 100).Constructs).ToHashSet();

        Assert.That(Enum.GetValues<Construct>().Except(seen), Is.Empty);
    }

    [Test]
    public void Generate_ProgramsCompiled_RunWithoutUnexpectedExceptions()
    {
        // The delegates run: any exception must be one the BCL throws for a row (never a crash or a hang).
        var allowed = new[]
        {
            typeof(DivideByZeroException), typeof(OverflowException), typeof(InvalidOperationException), typeof(NullReferenceException),
            typeof(IndexOutOfRangeException), typeof(ArgumentOutOfRangeException), typeof(ArgumentException), typeof(ArithmeticException),
        };
        foreach (var c in s_compiled.Value)
        {
            var args = c.Program.Parameters.Select(p => DefaultArgument(p.Type)).ToArray();
            try
            {
                c.Function!.DynamicInvoke(args);
            }
            catch (System.Reflection.TargetInvocationException e) when (allowed.Contains(e.InnerException!.GetType()))
            {
            }
        }
        Assert.Pass();
    }

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Programs_AreWellFormed() =>
        Prop.ForAll(ProgramGenerator.Arbitrary, ProgramValidator.IsWellFormed);

    [FsCheck.NUnit.Property(MaxTest = 50)]
    public Property Shrink_Candidates_AreWellFormedAndNoLarger() =>
        Prop.ForAll(ProgramGenerator.Arbitrary, program =>
            ProgramShrinker.Shrink(program).Take(100).All(c => ProgramValidator.IsWellFormed(c) && c.Size <= program.Size));

    [Test]
    public void Shrink_ProgramWithIntegerDivision_ReducesToSmallProgramThatStillHasIt()
    {
        static bool Fails(FuzzProgram p) => p.Constructs.Contains(Construct.IntegerDivision);
        var failing = Enumerable.Range(0, 500).Select(seed => ProgramGenerator.Generate(seed, 100)).First(p => Fails(p) && p.Size > 30);

        var shrunk = ProgramShrinker.Minimize(failing, Fails);

        Assert.That(Fails(shrunk), Is.True);
        Assert.That(shrunk.Size, Is.LessThanOrEqualTo(10), shrunk.RenderLambda());
        Assert.That(ProgramCompiler.Compile([shrunk])[0].Function, Is.Not.Null, shrunk.RenderLambda());
    }

    private static object? DefaultArgument(FuzzType type) => type.Base switch
    {
        _ when type.Nullable => null,
        BaseType.Double => 1.5,
        BaseType.Float => 1.5f,
        BaseType.Int => 3,
        BaseType.Long => 4L,
        BaseType.Bool => true,
        BaseType.String => "a.b+c@gmail.com",
        BaseType.DateTime => new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        BaseType.DoubleArray => new[] { 1.0, 2.0 },
        BaseType.LongArray => new[] { 1L, 2L },
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
