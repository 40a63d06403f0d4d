namespace Dsl.Fuzz;

/// <summary>
/// Command line of the long mode: <c>--programs N --seed S [--rows R] [--size Z] [--out DIR] [--threads T] [--from I] [--print N] [--hang-seconds H]</c>.
/// <c>--from I</c> starts at program index I of the seed's sequence (to re-check one program of a long run: a mismatch
/// names its index and the options that re-check it; the generator seed it also names is not an index).
/// <c>--threads</c> (default: the processor count) changes only how fast the run goes, never what it reports.
/// <c>--hang-seconds</c> (default 120) is how long one program may run before it is reported as a likely hang.
/// </summary>
internal sealed record FuzzOptions(int Programs, int Seed, int Rows, int Size, string Out, int Print, int Threads, int From = 0, int HangSeconds = 120)
{
    public static FuzzOptions Parse(string[] args)
    {
        var o = new FuzzOptions(Programs: 1000, Seed: 1, Rows: 256, Size: 100, Out: "tests/Fuzz/fixtures-out", Print: 0, Threads: Environment.ProcessorCount);
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
                "--from" => o with { From = int.Parse(value) },
                "--threads" => o with { Threads = Positive(args[i], int.Parse(value)) },
                "--hang-seconds" => o with { HangSeconds = Positive(args[i], int.Parse(value)) },
                _ => throw new ArgumentException($"fuzz: unknown option {args[i]} (expected --programs, --seed, --rows, --size, --out, --threads, --from, --print, --hang-seconds)"),
            };
        }
        return o;
    }

    private static int Positive(string option, int value) =>
        value > 0 ? value : throw new ArgumentException($"fuzz: option {option} must be at least 1, got {value}");
}
