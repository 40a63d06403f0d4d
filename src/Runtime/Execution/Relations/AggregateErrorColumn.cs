using System.Collections;
using Apache.Arrow;
using Dsl.Codegen.Aggregation;

namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// The errors of an aggregate that can fail, as the segmented kernel left them (a row and an exception reference per
/// failed parent). A feature that is the aggregate reports them as its row errors through a list that builds each
/// <see cref="RowError"/> only when it is read; a feature whose code evaluates the aggregate reads them serialized, as a
/// string column (<see cref="Serialized"/>), built only then.
/// </summary>
internal sealed class AggregateErrorColumn(AggregateErrors errors, int rows)
{
    private StringArray? _serialized;

    /// <summary>How many parents failed.</summary>
    public int Count => errors.Count;

    /// <summary>The row errors, sorted by row, each built when read.</summary>
    public IReadOnlyList<RowError> RowErrors() => errors.Count == 0 ? [] : new CompactRowErrors(errors.Rows, errors.Exceptions);

    /// <summary>
    /// The serialized errors by row (<see cref="AggregateOutcome.Serialize"/>), null where none. Most errors are the same
    /// exception as the one before (an empty window's <c>Average</c>): each run of them is encoded once.
    /// </summary>
    public StringArray Serialized() => _serialized ??= Serialize(errors.Rows, errors.Exceptions, rows);

    private static StringArray Serialize(int[] failed, Exception[] exceptions, int rows)
    {
        var encoded = new byte[failed.Length][];
        long total = 0;
        for (var k = 0; k < failed.Length; k++)
        {
            encoded[k] = k > 0 && SameError(exceptions[k], exceptions[k - 1])
                ? encoded[k - 1]
                : System.Text.Encoding.UTF8.GetBytes(AggregateOutcome.Serialize(CompactRowErrors.TypeName(exceptions[k]), exceptions[k].Message));
            total += encoded[k].Length;
        }

        if (total > int.MaxValue) throw new InvalidOperationException($"The aggregate's {failed.Length} errors do not fit one string column.");
        var offsets = new int[rows + 1];
        var validity = new byte[(rows + 7) / 8];
        var data = new byte[total];
        var next = 0;
        var written = 0;
        for (var row = 0; row < rows; row++)
        {
            offsets[row] = written;
            if (next < failed.Length && failed[next] == row)
            {
                encoded[next].CopyTo(data, written);
                written += encoded[next].Length;
                validity[row >> 3] |= (byte)(1 << (row & 7));
                next++;
            }
        }

        offsets[rows] = written;
        return new StringArray(rows, new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray()), new ArrowBuffer(data),
            new ArrowBuffer(validity), rows - failed.Length, 0);
    }

    private static bool SameError(Exception a, Exception b) =>
        ReferenceEquals(a, b) || (a.GetType() == b.GetType() && string.Equals(a.Message, b.Message, StringComparison.Ordinal));

    /// <summary>Row errors over the kernel's arrays: a <see cref="RowError"/> is made per read, none kept.</summary>
    private sealed class CompactRowErrors(int[] rows, Exception[] exceptions) : IReadOnlyList<RowError>
    {
        public int Count => rows.Length;

        public RowError this[int index] => new(rows[index], TypeName(exceptions[index]), exceptions[index].Message);

        public IEnumerator<RowError> GetEnumerator()
        {
            for (var k = 0; k < rows.Length; k++) yield return this[k];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>The name a row error gives an exception's type (as <c>RowErrorSink</c> does).</summary>
        public static string TypeName(Exception exception) => exception.GetType().FullName ?? exception.GetType().Name;
    }
}
