using Apache.Arrow;

namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// Parent row by integer key: a direct table when the keys span a range at most a few times their count (ids are
/// usually dense), else an open-addressing hash table with linear probing. Lookups are a load (direct) or a few
/// probes, far cheaper than a <see cref="Dictionary{TKey, TValue}"/> on the hot path of a join.
/// </summary>
internal abstract class IntegerKeyIndex
{
    /// <summary>The parent row of <paramref name="key"/>, or -1.</summary>
    public abstract int Find(long key);

    /// <summary>The parent row of each key into <paramref name="rows"/> (-1: none); returns how many keys have none.</summary>
    public abstract long FindAll(ReadOnlySpan<long> keys, Span<int> rows);

    public static IntegerKeyIndex Build(string relation, IArrowArray column, long[] keys, JoinSides? sides = null)
    {
        sides ??= JoinSides.Default;
        if (column.NullCount > 0)
        {
            for (var p = 0; p < keys.Length; p++)
            {
                if (column.IsNull(p)) throw RelationKeyException.NullParentKey(relation, p, sides);
            }
        }

        // Vectorized (Enumerable's Min and Max over a long[]): this runs on one thread before the join's chunks start.
        var (min, max) = keys.Length == 0 ? (long.MaxValue, long.MinValue) : (keys.Min(), keys.Max());

        var span = keys.Length == 0 ? 0 : (UInt128)(Int128)max - (UInt128)(Int128)min + 1;
        return span <= (UInt128)Math.Max(4L * keys.Length, 1024) ? new Direct(relation, keys, min, (int)span, sides) : new Hashed(relation, keys, sides);
    }

    private sealed class Direct : IntegerKeyIndex
    {
        private readonly int[] _rows;
        private readonly long _min;

        public Direct(string relation, long[] keys, long min, int span, JoinSides sides)
        {
            _min = min;
            _rows = new int[span];
            System.Array.Fill(_rows, -1);
            for (var p = 0; p < keys.Length; p++)
            {
                ref var slot = ref _rows[keys[p] - min];
                if (slot >= 0) throw RelationKeyException.DuplicateParentKey(relation, keys[p].ToString(System.Globalization.CultureInfo.InvariantCulture), slot, p, sides);
                slot = p;
            }
        }

        public override int Find(long key)
        {
            var offset = (ulong)(key - _min);
            return offset < (ulong)_rows.Length ? _rows[offset] : -1;
        }

        public override long FindAll(ReadOnlySpan<long> keys, Span<int> rows)
        {
            long missing = 0;
            var table = _rows;
            var min = _min;
            for (var i = 0; i < keys.Length; i++)
            {
                var offset = (ulong)(keys[i] - min);
                var row = offset < (ulong)table.Length ? table[offset] : -1;
                rows[i] = row;
                missing += row >>> 31; // 1 for -1
            }

            return missing;
        }
    }

    private sealed class Hashed : IntegerKeyIndex
    {
        private readonly long[] _keys;
        private readonly int[] _rows;
        private readonly int _mask;

        public Hashed(string relation, long[] keys, JoinSides sides)
        {
            var capacity = (int)Math.Min(1L << 30, Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)keys.Length * 2)));
            _keys = new long[capacity];
            _rows = new int[capacity];
            System.Array.Fill(_rows, -1);
            _mask = capacity - 1;
            for (var p = 0; p < keys.Length; p++)
            {
                var slot = Slot(keys[p]);
                while (_rows[slot] >= 0)
                {
                    if (_keys[slot] == keys[p]) throw RelationKeyException.DuplicateParentKey(relation, keys[p].ToString(System.Globalization.CultureInfo.InvariantCulture), _rows[slot], p, sides);
                    slot = (slot + 1) & _mask;
                }

                _keys[slot] = keys[p];
                _rows[slot] = p;
            }
        }

        public override int Find(long key)
        {
            var slot = Slot(key);
            while (true)
            {
                var row = _rows[slot];
                if (row < 0 || _keys[slot] == key) return row;
                slot = (slot + 1) & _mask;
            }
        }

        public override long FindAll(ReadOnlySpan<long> keys, Span<int> rows)
        {
            long missing = 0;
            for (var i = 0; i < keys.Length; i++)
            {
                var row = Find(keys[i]);
                rows[i] = row;
                missing += row >>> 31;
            }

            return missing;
        }

        /// <summary>Fibonacci hashing: multiplies by 2^64/φ so sequential keys spread over the table.</summary>
        private int Slot(long key) => (int)((ulong)key * 0x9E3779B97F4A7C15UL >> 32) & _mask;
    }
}
