using Dsl.Arrow.Memory;

namespace Dsl.Arrow.Ipc;

/// <summary>Random access to the bytes of an Arrow file: a memory mapping (zero-copy bodies) or a seekable stream.</summary>
internal abstract class FileSource : IDisposable
{
    /// <summary>The file's size in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>Copies bytes at <paramref name="position"/>; the caller checked the range against <see cref="Length"/>.</summary>
    public abstract void Read(long position, Span<byte> destination);

    /// <summary>
    /// A message body as an Arrow buffer; <paramref name="holder"/> is what the caller disposes once arrays took
    /// their references (null when the body is a view of memory the source keeps alive).
    /// </summary>
    public abstract ArrowBuffer Body(long position, long length, out IDisposable? holder);

    public abstract void Dispose();

    /// <summary>Bodies are views of the mapping: nothing is copied, arrays keep the mapping alive.</summary>
    internal sealed class Mapped(MappedFileMemoryOwner mapping) : FileSource
    {
        public override long Length => mapping.Length;

        public override void Read(long position, Span<byte> destination) => mapping.Bytes(position, destination.Length).CopyTo(destination);

        public override ArrowBuffer Body(long position, long length, out IDisposable? holder)
        {
            holder = null;
            return new ArrowBuffer(mapping, mapping.Address + (nint)position, length);
        }

        /// <summary>Gives back the reader's reference; the mapping goes when no array holds one.</summary>
        public override void Dispose() => mapping.Release();
    }

    /// <summary>Bodies are read into native buffers.</summary>
    internal sealed class Streamed(Stream stream, bool leaveOpen) : FileSource
    {
        public override long Length => stream.Length;

        public override void Read(long position, Span<byte> destination)
        {
            stream.Position = position;
            stream.ReadExactly(destination);
        }

        public override ArrowBuffer Body(long position, long length, out IDisposable? holder)
        {
            if (length > int.MaxValue)
            {
                throw new NotSupportedException($"Message bodies over 2 GiB are not supported ({length} bytes).");
            }

            var buffer = NativeBuffer.Allocate(length, zeroFill: false);
            try
            {
                Read(position, buffer.Span);
            }
            catch
            {
                buffer.Dispose();
                throw;
            }

            holder = buffer;
            return buffer.ToArrowBuffer();
        }

        public override void Dispose()
        {
            if (!leaveOpen)
            {
                stream.Dispose();
            }
        }
    }
}
