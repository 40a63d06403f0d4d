using System.IO.MemoryMappedFiles;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>
/// A read-only memory mapping of a whole file, which the arrays of batches read zero-copy point into. The mapping is
/// released when nothing references it any more: the reader (see <see cref="MappedArrowReader.Dispose"/>) and every
/// array of every batch read from it hold it through their buffers' memory, so a batch stays readable after the
/// reader is disposed and the mapping goes with the last of them (see <see cref="NativeRegion"/>).
/// </summary>
/// <remarks>
/// Like every memory mapping, it assumes the file is not truncated while mapped (the operating system would fault
/// on access past the new end); Arrow files are written once, so readers of finished files are safe.
/// </remarks>
internal sealed unsafe class MappedFile : NativeRegion
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;

    private MappedFile(MemoryMappedFile file, MemoryMappedViewAccessor view, nint address, int length)
        : base(address, length)
    {
        _file = file;
        _view = view;
    }

    /// <summary>Maps <paramref name="path"/>.</summary>
    /// <exception cref="ArrowFormatException">The file is empty, or larger than Apache.Arrow buffers can address (2 GiB).</exception>
    public static MappedFile Open(string path)
    {
        var length = new FileInfo(path).Length;
        if (length == 0) throw new ArrowFormatException($"{path}: the file is empty, not an Arrow IPC file.");
        if (length > int.MaxValue)
        {
            throw new ArrowFormatException($"{path}: the file has {length} bytes; files over 2 GiB cannot be mapped into Apache.Arrow buffers (split it into several files).");
        }

        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read);
        try
        {
            var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new MappedFile(file, view, (nint)(pointer + view.PointerOffset), (int)Math.Min(length, view.Capacity));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override void Free(bool finalizing)
    {
        // The view's SafeHandle is a critical finalizable object: the runtime finalizes it after this (ordinary)
        // finalizer, so releasing the acquired pointer is valid on the finalizer thread too; without it the handle
        // would never unmap.
        try
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _file.Dispose();
        }
        catch (ObjectDisposedException) when (finalizing)
        {
        }
    }
}
