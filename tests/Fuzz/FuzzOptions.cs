namespace Dsl.Fuzz;

/// <summary>Command line of the long mode: <c>--programs N --seed S [--rows R] [--size Z] [--out DIR] [--print N]</c>.</summary>
internal sealed record FuzzOptions(int Programs, int Seed, int Rows, int Size, string Out, int Print)
{
    public static FuzzOptions Parse(string[] args)
    {
        var o = new FuzzOptions(Programs: 1000, Seed: 1, Rows: 256, Size: 100, Out: "tests/Fuzz/fixtures-out", Print: 0);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length) throw new ArgumentException($"fuzz: option {args[i]} needs a value");
            var value = args[i + 1];
            o = args[i] switch
            {
                "--programs" => o with { Programs = int.Parse(value) },
                "--seed" => o with { Seed = int.Parse(value) },
                "--rows" => o with { Rows = int.Parse(value) },
                "--size" => o with { Size = int.Parse(value) },
                "--out" => o with { Out = value },
                "--print" => o with { Print = int.Parse(value) },
                _ => throw new ArgumentException($"fuzz: unknown option {args[i]} (expected --programs, --seed, --rows, --size, --out, --print)"),
            };
        }
        return o;
    }
}
