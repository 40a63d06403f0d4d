using System.Globalization;
using Apache.Arrow;

namespace Dsl.Bench.SideBySide;

/// <summary>
/// With <c>DSL_BENCH_TRACE=1</c>: where the buffers a kernel reads and writes lie — each address's offset in its
/// 4 KiB page (two buffers at the same offset, or a store a little below a later load, are what 4 KiB aliasing
/// needs) and in its 2 MiB huge page, and whether the mapping holding it is backed by huge pages (from
/// <c>/proc/self/smaps</c>). A layout effect that lasts a whole process shows up as a difference here between a
/// fast process and a slow one.
/// </summary>
internal static unsafe class LayoutTrace
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("DSL_BENCH_TRACE") == "1";

    /// <summary>Prints the value and validity buffers of every column of <paramref name="batch"/> and of <paramref name="result"/>.</summary>
    public static void Print(string label, RecordBatch batch, IArrowArray result)
    {
        var lines = new List<string>();
        for (var c = 0; c < batch.ColumnCount; c++)
            Describe(lines, batch.Schema.GetFieldByIndex(c).Name, batch.Column(c).Data);
        Describe(lines, "result", result.Data);
        Console.Error.WriteLine($"  layout {label}:\n    " + string.Join("\n    ", lines));
    }

    /// <summary>Prints where managed arrays (the hand kernels' columns and outputs) lie.</summary>
    public static void Print(string label, params (string Name, System.Array Values)[] arrays)
    {
        var lines = new List<string>();
        foreach (var (name, values) in arrays)
        {
            fixed (byte* pointer = &System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(values))
            {
                var address = (long)pointer;
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name} 0x{address:x} page+{address & 4095} huge+{address & ((2 << 20) - 1)} {Mapping(address)}"));
            }
        }
        Console.Error.WriteLine($"  layout {label}:\n    " + string.Join("\n    ", lines));
    }

    private static void Describe(List<string> lines, string name, ArrayData data)
    {
        for (var b = 0; b < data.Buffers.Length; b++)
        {
            var memory = data.Buffers[b].Memory;
            if (memory.IsEmpty) continue;
            using var pin = memory.Pin();
            var address = (long)pin.Pointer;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{name}[{b}] 0x{address:x} page+{address & 4095} huge+{address & ((2 << 20) - 1)} {Mapping(address)}"));
        }
    }

    /// <summary>The smaps summary of the mapping that holds <paramref name="address"/>: its size, resident, and huge-page fields.</summary>
    private static string Mapping(long address)
    {
        string? header = null;
        var fields = new List<string>();
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Contains('-') && line.IndexOf(' ') is > 0 and var space)
            {
                if (header is not null) break;
                var range = line[..space].Split('-');
                var low = long.Parse(range[0], NumberStyles.HexNumber);
                var high = long.Parse(range[1], NumberStyles.HexNumber);
                if (address >= low && address < high) header = $"vma 0x{low:x}+{(high - low) >> 10} KiB";
                continue;
            }
            if (header is not null && (line.StartsWith("Rss:") || line.StartsWith("AnonHugePages:") || line.StartsWith("FilePmdMapped:") || line.StartsWith("THPeligible:")))
                fields.Add(string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        }
        return header is null ? "(no mapping)" : $"{header} {string.Join(", ", fields)}";
    }
}
