using System.IO.MemoryMappedFiles;
using Dsl.Arrow.Memory;

namespace Dsl.Arrow.Ipc;

/// <summary>
/// A read-only memory mapping of a whole file, as the memory that arrays read zero-copy from a file point into.
/// The mapping is unmapped when the last reference goes: the reader's and every array's.
/// </summary>
/// <remarks>
/// Like every memory mapping, it assumes the file is not truncated while mapped (the operating system would fault
/// on access past the new end); the Arrow file format is write-once, so readers of finished files are safe.
/// </remarks>
internal sealed unsafe class MappedFileMemoryOwner : MemoryOwner
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;

    private MappedFileMemoryOwner(MemoryMappedFile file, MemoryMappedViewAccessor view, nint address, long length)
        : base(address, length)
    {
        _file = file;
        _view = view;
    }

    public static MappedFileMemoryOwner Open(string path)
    {
        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            throw new ArrowFormatException($"{path}: the file is empty, not an Arrow IPC file.");
        }

        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read);
        try
        {
            var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new MappedFileMemoryOwner(file, view, (nint)(pointer + view.PointerOffset), Math.Min(length, view.Capacity));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The mapped bytes [<paramref name="position"/>, +<paramref name="length"/>); the caller checked the range.</summary>
    public ReadOnlySpan<byte> Bytes(long position, int length) => new((byte*)Address + position, length);

    protected override void Free()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
