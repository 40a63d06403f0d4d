using Dsl.Fuzz.Compilation;
using Dsl.Fuzz.Generation;

namespace Dsl.Fuzz;

/// <summary>
/// Long mode of the fuzzer (<c>dotnet run --project tests/Fuzz -- --programs N --seed S</c>); <c>dotnet test</c>
/// runs the CI mode. <c>--print N</c> shows N generated programs and whether Roslyn compiles them.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var options = FuzzOptions.Parse(args);
        if (options.Print > 0)
        {
            var programs = Enumerable.Range(0, options.Print).Select(i => ProgramGenerator.Generate(options.Seed + i, options.Size)).ToList();
            foreach (var c in ProgramCompiler.Compile(programs))
            {
                Console.WriteLine($"// constructs: {string.Join(", ", c.Program.Constructs.Order())}");
                Console.WriteLine(c.Source);
                if (c.Errors is not null) Console.WriteLine($"// DOES NOT COMPILE:\n// {c.Errors.Replace("\n", "\n// ")}");
            }
            return 0;
        }
        Console.Error.WriteLine("fuzz: the differential long mode needs Runtime's compiled and fallback paths, which are not on main yet; use --print N");
        return 2;
    }
}
