namespace Dsl.Arrow.Ipc;

/// <summary>Entry points that work on either Arrow IPC format.</summary>
public static class ArrowIpc
{
    /// <summary>
    /// Opens <paramref name="path"/> as an Arrow IPC file (memory-mapped, zero-copy) when it starts with the
    /// <c>ARROW1</c> magic, otherwise as an Arrow IPC stream.
    /// </summary>
    /// <exception cref="ArrowFormatException">The file is neither (reading its schema fails with the reason).</exception>
    public static IArrowReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsFileFormat(path))
        {
            return ArrowFileReader.OpenMapped(path);
        }

        var reader = new ArrowStreamReader(File.OpenRead(path));
        try
        {
            _ = reader.Schema;
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="path"/> starts with the Arrow file magic <c>ARROW1</c>.</summary>
    public static bool IsFileFormat(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[6];
        return file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head.SequenceEqual(ArrowFileReader.Magic);
    }
}
