using Dsl.ArrowExtensions.Memory;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>
/// The native output of one decompressed buffer, grown only on request and never past the declared length:
/// decoders <see cref="Reserve"/> room after what they wrote, write into it, and <see cref="Advance"/>.
/// </summary>
/// <remarks>
/// Invariant: <see cref="Written"/> ≤ the declared length, and the allocation is at most about twice the largest
/// room reserved past <see cref="Written"/> (the buffer at least doubles when it grows).
/// </remarks>
internal sealed class DecompressedOutput : IDisposable
{
    private readonly long _declared;
    private readonly string _where;
    private NativeBuffer? _buffer;

    public DecompressedOutput(long declared, string where)
    {
        _declared = declared;
        _where = where;
    }

    /// <summary>The bytes decoded so far.</summary>
    public long Written { get; private set; }

    /// <summary>The bytes the declared length still allows.</summary>
    public long Remaining => _declared - Written;

    /// <summary>The last (up to) <paramref name="count"/> bytes written, which LZ4's linked blocks refer back to.</summary>
    public ReadOnlySpan<byte> Recent(int count) =>
        _buffer is null ? default : _buffer.Span.Slice((int)(Written - Math.Min(count, Written)), (int)Math.Min(count, Written));

    /// <summary>Room for <paramref name="length"/> bytes after those written (at most <see cref="Remaining"/>).</summary>
    public Span<byte> Reserve(long length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Remaining);
        var needed = Written + length;
        if (_buffer is null) _buffer = NativeBuffer.Allocate(needed, zeroFill: false);
        else if (_buffer.Length < needed) _buffer.Resize(needed);
        return _buffer.Span.Slice((int)Written, (int)length);
    }

    /// <summary>Counts <paramref name="count"/> bytes of the reserved room as written.</summary>
    public void Advance(long count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Written + count, _buffer?.Length ?? 0);
        Written += count;
    }

    /// <summary>The written bytes, for checksums.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer is null ? default : _buffer.Span[..(int)Written];

    /// <summary>The written bytes as memory the arrays keep alive (the garbage collector frees it after them).</summary>
    public ReadOnlyMemory<byte> Seal()
    {
        if (_buffer is null) return ReadOnlyMemory<byte>.Empty;
        var owner = new NativeBlockSet();
        var memory = _buffer.Seal(Written, owner).Memory;
        owner.Detach();
        _buffer = null;
        return memory;
    }

    /// <summary>The error for output that disagrees with the declared length (<paramref name="actual"/>: "more", "only 12").</summary>
    public ArrowFormatException Mismatch(string actual) =>
        new($"{_where}: the buffer declares {_declared} uncompressed bytes but decompresses to {actual}.");

    /// <summary>Frees the output unless it was sealed.</summary>
    public void Dispose() => _buffer?.Dispose();
}
