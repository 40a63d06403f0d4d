using System.Linq.Expressions;

namespace Dsl.Lowering.Cil;

/// <summary>
/// A value that exists only inside the interpreter (a managed pointer, an array or closure still being written, a
/// method pointer, an enumerator): it stands for interpreter state, never for an IR value. It cannot be compiled, never
/// throws by being held, and must not reach the IR (<see cref="InterpreterOnlyNode"/> checks).
/// </summary>
internal abstract class InterpreterValue : Expression
{
    public sealed override ExpressionType NodeType => ExpressionType.Extension;

    public sealed override bool CanReduce => false;

    protected sealed override Expression VisitChildren(ExpressionVisitor visitor) => this;
}
