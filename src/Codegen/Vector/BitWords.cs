using System.Linq.Expressions;
using System.Reflection;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen.Vector;

/// <summary>
/// The vector kernel's bit-packed outputs (the validity bitmap, and the values of a boolean result), gathered in a 64-bit
/// word per bitmap and written once per 64 rows instead of a read-modify-write of a byte per block: a block adds its lanes'
/// bits at the word's fill count, and a full word is one store. The bits in the words are always the rows
/// [<c>i − filled</c>, <c>i</c>) before the block at <c>i</c>; whatever writes those rows another way (the scalar kernel
/// rescuing a failing block, the tail) runs after <see cref="Flush"/>. Morsels start at multiples of 64 rows, so full words
/// are byte-aligned stores that no other thread's range shares.
/// </summary>
internal sealed class BitWords
{
    private static readonly MethodInfo s_writeBits = typeof(VectorAccess).GetMethod(nameof(VectorAccess.WriteBits))!;

    private readonly OutputLocals _output;
    private readonly ParameterExpression _row;
    private readonly int _lanes;
    private readonly ParameterExpression _filled = Expression.Variable(typeof(int), "bitsFilled");

    public BitWords(OutputLocals output, bool valuesAreBits, ParameterExpression row, int lanes)
    {
        if (64 % lanes != 0) throw new NotVectorizableException($"{lanes} lanes do not fill a 64-bit word evenly");
        _output = output;
        _row = row;
        _lanes = lanes;
        Validity = Expression.Variable(typeof(ulong), "validityWord");
        Values = valuesAreBits ? Expression.Variable(typeof(ulong), "valuesWord") : null;
    }

    /// <summary>The word gathering validity bits.</summary>
    public ParameterExpression Validity { get; }

    /// <summary>The word gathering a boolean result's value bits; null when values are stored as vectors.</summary>
    public ParameterExpression? Values { get; }

    public IEnumerable<ParameterExpression> Variables => Values is null ? [_filled, Validity] : [_filled, Validity, Values];

    /// <summary>Empty words before the first block.</summary>
    public Expression Start() => Expression.Block(Reset());

    /// <summary>
    /// <c>word |= ((ulong)blockBits &amp; laneBits) &lt;&lt; filled</c>. Only the block's own lanes may reach the word: on
    /// AVX-512 the JIT keeps vector masks in k registers, where a negated compare (<c>~(x == c)</c>) also sets the
    /// register's bits above the vector's lanes, and <c>ExtractMostSignificantBits</c> then returns them; unmasked
    /// they land on the next block's rows (fuzz seed 11, program 8906: <c>(long)p0.GetValueOrDefault() is -1L or 4L</c>
    /// was true for row 4 of every batch).
    /// </summary>
    public Expression Add(ParameterExpression word, Expression blockBits) =>
        Expression.OrAssign(word, Expression.LeftShift(
            Expression.And(Expression.Convert(blockBits, typeof(ulong)), Expression.Constant(_lanes == 64 ? ulong.MaxValue : (1ul << _lanes) - 1)),
            _filled));

    /// <summary>After a block's bits are added: the words hold <see cref="_lanes"/> more rows.</summary>
    public Expression Advance() => Expression.AddAssign(_filled, Expression.Constant(_lanes));

    /// <summary>After the row index moved past a block: a full word goes out as one store.</summary>
    public Expression FlushWhenFull() => Expression.IfThen(Expression.Equal(_filled, Expression.Constant(64)), Flush());

    /// <summary>Writes the gathered rows [i − filled, i) and empties the words.</summary>
    public Expression Flush()
    {
        var first = Expression.Subtract(_row, Expression.Convert(_filled, typeof(long)));
        var statements = new List<Expression>();
        if (Values is not null) statements.Add(Expression.Call(s_writeBits, _output.Values, first, Values, _filled));
        statements.Add(Expression.Call(s_writeBits, _output.Validity, first, Validity, _filled));
        statements.AddRange(Reset());
        return Expression.Block(statements);
    }

    private IEnumerable<Expression> Reset()
    {
        yield return Expression.Assign(_filled, Expression.Constant(0));
        yield return Expression.Assign(Validity, Expression.Constant(0ul));
        if (Values is not null) yield return Expression.Assign(Values, Expression.Constant(0ul));
    }
}
