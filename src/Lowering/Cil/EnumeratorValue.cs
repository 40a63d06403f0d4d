using System.Linq.Expressions;

namespace Dsl.Lowering.Cil;

/// <summary>
/// The enumerator a <c>foreach</c> over a sequence gets from <c>GetEnumerator()</c> (an <see cref="IEnumerator{T}"/>, or
/// <see cref="List{T}"/>'s struct enumerator). The interpreter understands it only as the loop C# builds around it:
/// <c>MoveNext()</c> as the loop test (<see cref="MoveNextValue"/>), <c>Current</c> inside the body being folded, and
/// <c>Dispose()</c> in the <c>finally</c> that C# adds, which the interpreter skips (a BCL collection's enumerator
/// releases nothing observable).
/// </summary>
internal sealed class EnumeratorValue(Expression source, Type type) : InterpreterValue
{
    /// <summary>The sequence enumerated (a function parameter or closure field of a sequence type).</summary>
    public Expression Source { get; } = source;

    public override Type Type { get; } = type;

    /// <summary>The element symbol <c>Current</c> gives while the loop body is being run once symbolically, else null.</summary>
    public ParameterExpression? Current { get; set; }
}

/// <summary>The result of <c>MoveNext()</c> on an <see cref="EnumeratorValue"/>: only a loop test may use it.</summary>
internal sealed class MoveNextValue(EnumeratorValue enumerator) : InterpreterValue
{
    public EnumeratorValue Enumerator { get; } = enumerator;

    public override Type Type => typeof(bool);
}
