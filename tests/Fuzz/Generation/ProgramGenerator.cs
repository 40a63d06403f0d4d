using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Fuzz.Generation;

/// <summary>
/// Generates well-typed, terminating C# resolvers from a typed AST. Generation is a walk that tracks which
/// variables are in scope, of which type, and whether they may be assigned; it is a deterministic function of a
/// seed and a size, so FsCheck drives it (<see cref="Programs"/>: the seed and the size come from FsCheck and
/// replay with it) and the long mode can reproduce any program from its seed. Termination: loops have constant
/// bounds or iterate over an array, loop variables are read-only, there is no recursion, and strings declared
/// outside a loop are never reassigned inside it (so no string grows geometrically).
/// </summary>
public sealed partial class ProgramGenerator
{
    private static readonly (FuzzType Type, int Weight)[] s_parameterTypes =
    [
        (FuzzType.Double, 5), (FuzzType.Double.AsNullable(), 4), (FuzzType.Float, 1), (FuzzType.Float.AsNullable(), 1),
        (FuzzType.Int, 2), (FuzzType.Int.AsNullable(), 2), (FuzzType.Long, 2), (FuzzType.Long.AsNullable(), 2),
        (FuzzType.Bool, 2), (FuzzType.Bool.AsNullable(), 1), (FuzzType.String, 3), (FuzzType.DateTime, 1),
        (FuzzType.DateTime.AsNullable(), 1), (FuzzType.DoubleArray, 1), (FuzzType.LongArray, 1),
    ];

    private static readonly (FuzzType Type, int Weight)[] s_returnTypes =
    [
        (FuzzType.Double, 5), (FuzzType.Double.AsNullable(), 4), (FuzzType.Float, 1), (FuzzType.Int, 1),
        (FuzzType.Int.AsNullable(), 1), (FuzzType.Long, 1), (FuzzType.Long.AsNullable(), 1), (FuzzType.Bool, 2),
        (FuzzType.Bool.AsNullable(), 1), (FuzzType.String, 2), (FuzzType.DateTime, 1),
    ];

    /// <summary>Types of locals; arrays are only ever parameters.</summary>
    private static readonly (FuzzType Type, int Weight)[] s_localTypes =
        [.. s_returnTypes, (FuzzType.DateTime.AsNullable(), 1)];

    private readonly Random _random;
    private readonly int _expressionDepth;
    private readonly int _statementDepth;
    private readonly int _statements;
    private readonly Scope _scope = new();
    private FuzzType _returnType = FuzzType.Double;
    private int _nextName;
    private int _loopDepth;

    private ProgramGenerator(int seed, int size)
    {
        _random = new Random(seed);
        size = Math.Clamp(size, 1, 100);
        _expressionDepth = 1 + Math.Min(3, size / 20);
        _statementDepth = Math.Min(3, 1 + size / 25);
        _statements = 1 + Math.Min(5, size / 15);
    }

    /// <summary>FsCheck generator of programs, with FsCheck's size scaling their depth and length.</summary>
    public static Gen<FuzzProgram> Programs =>
        Gen.Sized(size => Gen.Choose(0, int.MaxValue).Select(seed => Generate(seed, size)));

    /// <summary><see cref="Programs"/> with shrinking over the AST (<see cref="ProgramShrinker"/>).</summary>
    public static Arbitrary<FuzzProgram> Arbitrary => Arb.From(Programs, ProgramShrinker.Shrink);

    /// <summary>The program for a seed and size (1–100): the same pair always gives the same program.</summary>
    public static FuzzProgram Generate(int seed, int size) => new ProgramGenerator(seed, size).Program();

    private FuzzProgram Program()
    {
        var parameters = new Parameter[1 + _random.Next(5)];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = new Parameter($"p{i}", Pick(s_parameterTypes));
            _scope.Add(new Variable(parameters[i].Name, parameters[i].Type, Assignable: !parameters[i].Type.IsArray, LoopDepth: 0));
        }
        // Half the time the result has a parameter's type, as most features do (a price in, a price out).
        var scalarParameters = parameters.Where(p => !p.Type.IsArray && p.Type.Base != BaseType.DateTime).ToList();
        _returnType = scalarParameters.Count > 0 && Chance(0.5) ? Pick(scalarParameters).Type : Pick(s_returnTypes);
        var statements = new List<Stmt>();
        var count = _random.Next(_statements + 1);
        for (var i = 0; i < count; i++) statements.AddRange(Statement(_statementDepth));
        statements.Add(new Return(Expression(_returnType, _expressionDepth)));
        return new FuzzProgram(parameters, _returnType, new Block([.. statements]));
    }

    private string FreshName(string prefix) => $"{prefix}{_nextName++}";

    private T Pick<T>((T Value, int Weight)[] choices)
    {
        var total = choices.Sum(c => c.Weight);
        var roll = _random.Next(total);
        foreach (var (value, weight) in choices)
        {
            if (roll < weight) return value;
            roll -= weight;
        }
        throw new InvalidOperationException("unreachable: weights are positive");
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private bool Chance(double p) => _random.NextDouble() < p;
}
