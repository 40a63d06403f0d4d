using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dsl.Codegen.Scalar;

/// <summary>
/// Scratch memory for the strings a kernel row builds (replaced, cased, concatenated, transcoded text): a bump
/// allocator over pinned chunks that is reset at the start of every row and reused across rows and runs, so a
/// row allocates nothing once the chunks have grown to the largest row's need. It also remembers, per string column,
/// which input bytes of the kernel run are known to be ASCII (<see cref="IsKnownAscii"/>), so <see cref="Utf8Ops.Read"/> checks a
/// block of rows at once instead of validating each row.
/// </summary>
/// <remarks>
/// Invariant: memory handed out since the last <see cref="Reset"/> is never handed out again nor freed, so every
/// <see cref="Utf8Text"/> of the current row stays valid however often an operation runs in it. Chunks are
/// pinned (allocated on the pinned object heap), so their addresses are stable. One arena serves one thread.
/// The ASCII windows hold addresses of input buffers, which stay pinned and unchanged for one kernel run only:
/// <see cref="Rent"/> forgets them.
/// </remarks>
internal sealed unsafe class Utf8Arena
{
    private const int FirstChunkBytes = 4096;

    [ThreadStatic]
    private static Utf8Arena? t_spare;

    private readonly List<byte[]> _chunks = [];

    /// <summary>The current chunk, its first byte and size (0 before the first chunk; a reservation that fits is two compares), and the bytes handed out in it.</summary>
    private RowState _row;

    private char[] _chars = new char[256];

    /// <summary>Per string column of the kernel (by its slot), the address range [from, to) of its bytes known to be ASCII.</summary>
    private (nint From, nint To)[] _ascii = new (nint, nint)[4];

    /// <summary>This thread's arena (or a new one when it is in use), reset, with no ASCII windows.</summary>
    public static Utf8Arena Rent()
    {
        var arena = t_spare ?? new Utf8Arena();
        t_spare = null;
        arena.Reset();
        arena.ForgetAscii();
        return arena;
    }

    /// <summary>Gives the arena back for the thread's next kernel run.</summary>
    public static void Return(Utf8Arena arena) => t_spare = arena;

    /// <summary>Forgets everything handed out (the start of a row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Reset()
    {
        _row.Used = 0;
        if (_row.Chunk != 0) UseChunk(0);
    }

    /// <summary>Room for at least <paramref name="maxBytes"/> bytes; <see cref="Commit"/> then keeps a prefix of it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Reserve(int maxBytes) =>
        (uint)maxBytes <= (uint)(_row.Capacity - _row.Used) ? new Span<byte>((void*)(_row.Base + _row.Used), maxBytes) : ReserveInNextChunk(maxBytes);

    /// <summary>Keeps the first <paramref name="bytes"/> bytes of the last reservation as a text (ASCII when <paramref name="isAscii"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Utf8Text Commit(int bytes, bool isAscii = false)
    {
        var text = new Utf8Text(_row.Base + _row.Used, bytes, isAscii);
        _row.Used += bytes;
        return text;
    }

    /// <summary>A UTF-16 scratch span, valid until the next call (for decoding within one operation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Span<char> Chars(int length)
    {
        if (_chars.Length < length) _chars = new char[Math.Max(length, 2 * _chars.Length)];
        return _chars.AsSpan(0, length);
    }

    /// <summary>Whether the input bytes [from, to) of the column in <paramref name="slot"/> lie in the range found ASCII during this kernel run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsKnownAscii(int slot, nint from, nint to)
    {
        var ascii = _ascii;
        return (uint)slot < (uint)ascii.Length && from >= ascii[slot].From && to <= ascii[slot].To;
    }

    /// <summary>Records that the input bytes [from, to) of the column in <paramref name="slot"/> are ASCII (they stay pinned and unchanged until the run ends).</summary>
    public void KnowAscii(int slot, nint from, nint to)
    {
        if (slot >= _ascii.Length) Array.Resize(ref _ascii, Math.Max(slot + 1, 2 * _ascii.Length));
        _ascii[slot] = (from, to);
    }

    private void ForgetAscii() => Array.Clear(_ascii);

    private Span<byte> ReserveInNextChunk(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        int next = _chunks.Count == 0 ? 0 : _row.Chunk + 1;
        while (next < _chunks.Count && IsolatedPinnedBytes.UsableLength(_chunks[next]) < maxBytes) next++;
        if (next == _chunks.Count)
        {
            int last = _chunks.Count == 0 ? FirstChunkBytes / 2 : IsolatedPinnedBytes.UsableLength(_chunks[^1]);
            long size = Math.Max((long)maxBytes, 2L * last);
            // Guarded: a row writes the start of its chunk, and the pinned heap may have put a constant that other threads read just before it.
            _chunks.Add(IsolatedPinnedBytes.Allocate((int)Math.Min(size, Array.MaxLength - 2 * IsolatedPinnedBytes.Guard)));
        }

        UseChunk(next);
        _row.Used = 0;
        return new Span<byte>((void*)_row.Base, maxBytes);
    }

    private void UseChunk(int chunk)
    {
        _row.Chunk = chunk;
        _row.Base = IsolatedPinnedBytes.Start(_chunks[chunk]);
        _row.Capacity = IsolatedPinnedBytes.UsableLength(_chunks[chunk]);
    }

    /// <summary>
    /// The fields every row writes or reads, with a cache line of padding on each side inside the arena: arenas of
    /// different threads live side by side once a collection compacts them, and a row's write to its own arena must
    /// not invalidate the line another thread's rows read theirs from (see <see cref="IsolatedPinnedBytes"/>).
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 64 + 24 + 64)]
    private struct RowState
    {
        [FieldOffset(64)] public nint Base;
        [FieldOffset(72)] public int Used;
        [FieldOffset(76)] public int Capacity;
        [FieldOffset(80)] public int Chunk;
    }
}
