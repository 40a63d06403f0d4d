using Dsl.Fuzz.Compilation;
using Dsl.Fuzz.Generation;

namespace Dsl.Fuzz;

internal static class Program
{
    private static int Main(string[] args)
    {
        // Temporary: print a few programs, check they compile.
        var n = args.Length > 0 ? int.Parse(args[0]) : 5;
        var programs = Enumerable.Range(0, n).Select(seed => ProgramGenerator.Generate(seed, 30 + seed % 70)).ToList();
        var compiled = ProgramCompiler.Compile(programs);
        foreach (var c in compiled.Take(3)) Console.WriteLine(c.Source);
        foreach (var c in compiled.Where(c => c.Errors is not null).Take(n)) Console.WriteLine($"ERROR\n{c.Source}\n{c.Errors}\n");
        Console.WriteLine($"{compiled.Count(c => c.Function is not null)}/{n} compiled");
        return 0;
    }
}
