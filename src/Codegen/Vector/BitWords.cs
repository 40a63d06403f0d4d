using System.Linq.Expressions;
using System.Reflection;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen.Vector;

/// <summary>
/// The 64-row groups of a vector kernel and their bit-packed words. A group is the 64 rows from
/// <see cref="GroupStart"/>, a multiple of 64: each input bitmap is read once into a word when the group starts (<see cref="Read"/>),
/// each block makes its lane masks from those words at its bit position <see cref="Shift"/>, and adds its output bits
/// (the validity bitmap, the values of a boolean result, the rows that failed) to words that are written once when the
/// group ends (<see cref="Flush"/>) as one aligned store each, which no other thread's range shares. With no call in
/// the loop (the rows outside whole groups go to the scalar kernel), the JIT keeps the loop's words in registers.
/// </summary>
internal sealed class BitWords
{
    private static readonly MethodInfo s_writeWord = typeof(VectorAccess).GetMethod(nameof(VectorAccess.WriteWord))!;
    private static readonly MethodInfo s_readWord = typeof(VectorAccess).GetMethod(nameof(VectorAccess.ReadWord))!;

    private readonly OutputLocals _output;
    private readonly int _lanes;
    private readonly List<(ParameterExpression Word, Expression Read)> _inputs = [];
    private readonly Dictionary<(ParameterExpression Bitmap, ParameterExpression Offset), ParameterExpression> _inputWords = [];

    public BitWords(OutputLocals output, bool valuesAreBits, int lanes)
    {
        if (64 % lanes != 0) throw new NotVectorizableException($"{lanes} lanes do not fill a 64-bit word evenly");
        _output = output;
        _lanes = lanes;
        Validity = Expression.Variable(typeof(ulong), "validityWord");
        Values = valuesAreBits ? Expression.Variable(typeof(ulong), "valuesWord") : null;
    }

    /// <summary>The first row of the group.</summary>
    public ParameterExpression GroupStart { get; } = Expression.Variable(typeof(long), "groupStart");

    /// <summary>The rows of a group.</summary>
    public const int GroupRows = 64;

    /// <summary>The bit position of the current block in the group's words (its row minus <see cref="GroupStart"/>).</summary>
    public ParameterExpression Shift { get; } = Expression.Variable(typeof(int), "shift");

    /// <summary>The word gathering validity bits.</summary>
    public ParameterExpression Validity { get; }

    /// <summary>The word gathering a boolean result's value bits; null when values are stored as vectors.</summary>
    public ParameterExpression? Values { get; }

    /// <summary>The word gathering the rows of blocks with a failing lane (which the scalar kernel then rewrites).</summary>
    public ParameterExpression Failing { get; } = Expression.Variable(typeof(ulong), "failingRows");

    public IEnumerable<ParameterExpression> Variables =>
        _inputs.Select(w => w.Word).Concat(_derived.Select(w => w.Word)).Concat(Values is null ? [GroupStart, Shift, Validity, Failing] : [GroupStart, Shift, Validity, Values, Failing]);

    /// <summary>
    /// The group's word of an input bitmap (its bits from <paramref name="offset"/> + <see cref="GroupStart"/>), read
    /// once when the group starts; all ones when the bitmap is absent (0).
    /// </summary>
    public ParameterExpression Read(ParameterExpression bitmap, ParameterExpression offset, string name)
    {
        if (_inputWords.TryGetValue((bitmap, offset), out var known)) return known;
        var word = Expression.Variable(typeof(ulong), name + "Word");
        _inputs.Add((word, Expression.Call(s_readWord, bitmap, Expression.Add(offset, GroupStart))));
        _inputWords[(bitmap, offset)] = word;
        return word;
    }

    /// <summary>A word computed from the group's input words when the group starts (after they are read).</summary>
    public ParameterExpression Derive(Expression value, string name)
    {
        var word = Expression.Variable(typeof(ulong), name + "Word");
        _derived.Add((word, value));
        return word;
    }

    private readonly List<(ParameterExpression Word, Expression Value)> _derived = [];

    /// <summary>Starts a group at <paramref name="row"/>: reads the input words and empties the output words.</summary>
    public Expression Start(ParameterExpression row)
    {
        var statements = new List<Expression>
        {
            Expression.Assign(GroupStart, row),
            Expression.Assign(Shift, Expression.Constant(0)),
            Expression.Assign(Validity, Expression.Constant(0ul)),
            Expression.Assign(Failing, Expression.Constant(0ul)),
        };
        if (Values is not null) statements.Add(Expression.Assign(Values, Expression.Constant(0ul)));
        statements.AddRange(_inputs.Select(w => Expression.Assign(w.Word, w.Read)));
        statements.AddRange(_derived.Select(w => Expression.Assign(w.Word, w.Value)));
        return Expression.Block(typeof(void), statements);
    }

    /// <summary>
    /// <c>word |= ((ulong)blockBits &amp; laneBits) &lt;&lt; shift</c>. Only the block's own lanes may reach the word: on
    /// AVX-512 the JIT keeps vector masks in k registers, where a negated compare (<c>~(x == c)</c>) also sets the
    /// register's bits above the vector's lanes, and <c>ExtractMostSignificantBits</c> then returns them; unmasked
    /// they land on the next block's rows (fuzz seed 11, program 8906: <c>(long)p0.GetValueOrDefault() is -1L or 4L</c>
    /// was true for row 4 of every batch).
    /// </summary>
    public Expression Add(ParameterExpression word, Expression blockBits) =>
        Expression.OrAssign(word, Expression.LeftShift(
            Expression.And(Expression.Convert(blockBits, typeof(ulong)), Expression.Constant(LaneBits)),
            Shift));

    /// <summary>The low <see cref="_lanes"/> bits set.</summary>
    public ulong LaneBits => _lanes == 64 ? ulong.MaxValue : (1ul << _lanes) - 1;

    /// <summary>
    /// Makes the group's validity word the AND of <paramref name="inputWords"/> (all ones when there are none) instead of
    /// the blocks' bits: for kernels whose rows are valid exactly when those inputs are. The value bits of a boolean
    /// result are then masked by it once per group.
    /// </summary>
    public void ValidityFrom(IReadOnlyList<ParameterExpression> inputWords) => _validityWords = inputWords;

    private IReadOnlyList<ParameterExpression>? _validityWords;

    /// <summary>Writes the group's output words (its rows' validity, and the values of a boolean result).</summary>
    public Expression Flush()
    {
        var statements = new List<Expression>();
        if (_validityWords is not null)
        {
            statements.Add(Expression.Assign(Validity, _validityWords.Aggregate((Expression)Expression.Constant(ulong.MaxValue), Expression.And)));
            if (Values is not null) statements.Add(Expression.AndAssign(Values, Validity));
        }

        if (Values is not null) statements.Add(Expression.Call(s_writeWord, _output.Values, GroupStart, Values));
        statements.Add(Expression.Call(s_writeWord, _output.Validity, GroupStart, Validity));
        return Expression.Block(statements);
    }
}
