using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dsl.Codegen.Scalar;

/// <summary>
/// Scratch memory for the strings a kernel row builds (replaced, cased, concatenated, transcoded text): a bump
/// allocator over pinned chunks that is reset at the start of every row and reused across rows and runs, so a
/// row allocates nothing once the chunks have grown to the largest row's need.
/// </summary>
/// <remarks>
/// Invariant: memory handed out since the last <see cref="Reset"/> is never handed out again nor freed, so every
/// <see cref="Utf8Text"/> of the current row stays valid however often an operation runs in it. Chunks are
/// pinned (allocated on the pinned object heap), so their addresses are stable. One arena serves one thread.
/// </remarks>
internal sealed unsafe class Utf8Arena
{
    private const int FirstChunkBytes = 4096;

    [ThreadStatic]
    private static Utf8Arena? t_spare;

    private readonly List<byte[]> _chunks = [];
    private int _chunk;
    private int _used;
    private char[] _chars = new char[256];

    /// <summary>This thread's arena (or a new one when it is in use), reset.</summary>
    public static Utf8Arena Rent()
    {
        var arena = t_spare ?? new Utf8Arena();
        t_spare = null;
        arena.Reset();
        return arena;
    }

    /// <summary>Gives the arena back for the thread's next kernel run.</summary>
    public static void Return(Utf8Arena arena) => t_spare = arena;

    /// <summary>Forgets everything handed out (the start of a row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Reset()
    {
        _chunk = 0;
        _used = 0;
    }

    /// <summary>Room for at least <paramref name="maxBytes"/> bytes; <see cref="Commit"/> then keeps a prefix of it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Span<byte> Reserve(int maxBytes)
    {
        while (_chunk < _chunks.Count && _chunks[_chunk].Length - _used < maxBytes)
        {
            _chunk++;
            _used = 0;
        }

        if (_chunk == _chunks.Count)
        {
            int last = _chunks.Count == 0 ? FirstChunkBytes / 2 : _chunks[^1].Length;
            long size = Math.Max((long)maxBytes, 2L * last);
            _chunks.Add(GC.AllocateUninitializedArray<byte>((int)Math.Min(size, Array.MaxLength), pinned: true));
            _used = 0;
        }

        return _chunks[_chunk].AsSpan(_used, maxBytes);
    }

    /// <summary>Keeps the first <paramref name="bytes"/> bytes of the last reservation as a text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Utf8Text Commit(int bytes)
    {
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_chunks[_chunk])) + _used;
        _used += bytes;
        return new Utf8Text(address, bytes);
    }

    /// <summary>A UTF-16 scratch span, valid until the next call (for decoding within one operation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Span<char> Chars(int length)
    {
        if (_chars.Length < length) _chars = new char[Math.Max(length, 2 * _chars.Length)];
        return _chars.AsSpan(0, length);
    }
}
