using System.Runtime.InteropServices;
using System.Text;

namespace Dsl.Bench.SideBySide;

/// <summary>
/// The benchmark columns as the data generator's raw <c>.npy</c> files (bench/data/generate.mjs), with each
/// validity mask packed into an Arrow-style bitmap (bit i = byte i/8, bit i%8), so hand-written kernels read
/// the same layout an Arrow column has.
/// </summary>
internal sealed class NpyColumns
{
    public required int Rows { get; init; }
    public required double[] Subtotal { get; init; }
    public required double[] Discount { get; init; }
    public required ulong[] DiscountValid { get; init; }
    public required double[] TaxRate { get; init; }
    public required ulong[] TaxRateValid { get; init; }
    public required ulong[] Taxable { get; init; }
    public required double[] Amount { get; init; }

    /// <summary>The e-mail column as fixed-width records of <see cref="EmailWidth"/> bytes (ASCII, NUL-padded).</summary>
    public required byte[] Email { get; init; }
    public required int EmailWidth { get; init; }

    public static NpyColumns Load(string dataDirectory)
    {
        string Path(string name) => System.IO.Path.Combine(dataDirectory, "npy", name + ".npy");
        var subtotal = Read<double>(Path("subtotal"), "<f8");
        var (email, emailWidth) = ReadFixedWidthBytes(Path("email"));
        return new NpyColumns
        {
            Rows = subtotal.Length,
            Subtotal = subtotal,
            Discount = Read<double>(Path("discount"), "<f8"),
            DiscountValid = Bitmap(Read<byte>(Path("discount_valid"), "|b1")),
            TaxRate = Read<double>(Path("tax_rate"), "<f8"),
            TaxRateValid = Bitmap(Read<byte>(Path("tax_rate_valid"), "|b1")),
            Taxable = Bitmap(Read<byte>(Path("taxable"), "|b1")),
            Amount = Read<double>(Path("amount"), "<f8"),
            Email = email,
            EmailWidth = emailWidth,
        };
    }

    /// <summary>A .npy file of fixed-width byte strings (dtype |S&lt;w&gt;): its body and the width w.</summary>
    private static (byte[] Body, int Width) ReadFixedWidthBytes(string path)
    {
        var start = new byte[4096];
        using (var file = File.OpenRead(path)) Array.Resize(ref start, file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false));
        var header = Header(start, path);
        var match = System.Text.RegularExpressions.Regex.Match(header, @"'descr': '\|S(\d+)'");
        if (!match.Success) throw new InvalidDataException($"{path}: expected a |S<width> dtype, header is {header.Trim()}");
        return (Read<byte>(path, $"|S{match.Groups[1].Value}"), int.Parse(match.Groups[1].Value));
    }

    private static string Header(byte[] bytes, string path)
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY" || bytes[6] != 1)
            throw new InvalidDataException($"{path}: not a .npy version 1 file");
        return Encoding.ASCII.GetString(bytes, 10, BitConverter.ToUInt16(bytes, 8));
    }

    /// <summary>Reads a one-dimensional .npy (format 1.x) file whose dtype must be <paramref name="descr"/>.</summary>
    private static T[] Read<T>(string path, string descr) where T : unmanaged
    {
        var bytes = File.ReadAllBytes(path);
        var header = Header(bytes, path);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        if (!header.Contains($"'descr': '{descr}'", StringComparison.Ordinal))
            throw new InvalidDataException($"{path}: expected dtype {descr}, header is {header.Trim()}");
        var body = bytes.AsSpan(10 + headerLength);
        if (body.Length % Marshal.SizeOf<T>() != 0)
            throw new InvalidDataException($"{path}: body of {body.Length} bytes is not a whole number of {descr} values");
        return MemoryMarshal.Cast<byte, T>(body).ToArray();
    }

    private static ulong[] Bitmap(byte[] flags)
    {
        var bits = new ulong[(flags.Length + 63) / 64];
        for (var i = 0; i < flags.Length; i++)
        {
            if (flags[i] != 0) bits[i >> 6] |= 1UL << (i & 63);
        }
        return bits;
    }
}
