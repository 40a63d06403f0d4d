using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Cil;

/// <summary>
/// The result of <c>ldftn</c> on the symbolic stack: the method a delegate about to be constructed will call.
/// Only a delegate constructor (<c>newobj Func&lt;…&gt;::.ctor(object, native int)</c>) consumes it, turning it into
/// a lowered <see cref="LambdaExpression"/>. Exists only inside the interpreter; never part of the IR.
/// </summary>
internal sealed class MethodPointer(MethodInfo method) : InterpreterValue
{
    public MethodInfo Method { get; } = method;

    public override Type Type => typeof(IntPtr);
}
