using Apache.Arrow;

namespace Dsl.Engine.Offline;

/// <summary>
/// Entity keys as 64-bit codes, so the join compares and sorts numbers whatever the key type: an integer key is its own code; a
/// string key gets the number of its first appearance in the spine (a stored key the spine never names has no code, and is
/// skipped: no spine row could read it).
/// </summary>
internal sealed class SpineKeys
{
    private readonly Dictionary<string, long>? _strings;

    private SpineKeys(long[] codes, Dictionary<string, long>? strings)
    {
        Codes = codes;
        _strings = strings;
    }

    /// <summary>Each spine row's key code.</summary>
    public long[] Codes { get; }

    public static SpineKeys Of(IArrowArray key)
    {
        if (key is Int64Array integers) return new SpineKeys(integers.Values.ToArray(), null);
        var strings = (StringArray)key;
        var codes = new long[strings.Length];
        var known = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < codes.Length; i++)
        {
            var text = strings.GetString(i);
            if (!known.TryGetValue(text, out var code)) known[text] = code = known.Count;
            codes[i] = code;
        }
        return new SpineKeys(codes, known);
    }

    /// <summary>The code of a stored row's key, or false when no spine row has that key.</summary>
    public bool TryCode(IArrowArray storedKey, int row, out long code)
    {
        if (_strings is null)
        {
            code = ((Int64Array)storedKey).Values[row];
            return true;
        }
        return _strings.TryGetValue(((StringArray)storedKey).GetString(row), out code);
    }

    /// <summary>The partition (of <paramref name="partitions"/>) a key code belongs to.</summary>
    public static int Partition(long code, int partitions) =>
        partitions == 1 ? 0 : (int)(((ulong)code * 0x9E3779B97F4A7C15UL >> 32) % (ulong)partitions);
}
