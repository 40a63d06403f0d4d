using System.Reflection;
using System.Reflection.Emit;

namespace Dsl.Lowering.Cil;

/// <summary>
/// Recognises the one <c>try</c>/<c>finally</c> the interpreter accepts: the one C# wraps around <c>foreach</c> over an
/// enumerator, whose handler only disposes the enumerator local (<c>ldloc e; brfalse end; ldloc e; callvirt Dispose</c>,
/// or <c>ldloca e; constrained. E; callvirt Dispose</c> for a struct enumerator). The interpreter runs the protected
/// region with <c>leave</c> as a branch and skips the handler: the enumerator of a BCL collection releases nothing
/// observable, and the local can hold nothing but the loop's enumerator (only <c>GetEnumerator</c> on a sequence
/// produces one).
/// </summary>
internal static class EnumeratorDisposal
{
    public static bool IsDisposalFinally(MethodBase method, IReadOnlyList<IlInstruction> instructions, ExceptionHandlingClause clause, Type[] localTypes)
    {
        if (clause.Flags != ExceptionHandlingClauseOptions.Finally) return false;
        var end = clause.HandlerOffset + clause.HandlerLength;
        var handler = instructions.Where(i => i.Offset >= clause.HandlerOffset && i.Offset < end && i.OpCode != OpCodes.Nop).ToList();
        if (handler.Count == 0 || handler[^1].OpCode != OpCodes.Endfinally) return false;
        int? local = handler switch
        {
            [var load, var skip, var again, var dispose, _] when IsBranchIfNull(skip) && LocalOf(load, "ldloc") is { } x && LocalOf(again, "ldloc") == x && IsDispose(method, dispose) => x,
            [var address, var constrained, var dispose, _] when constrained.OpCode == OpCodes.Constrained && IsDispose(method, dispose) => LocalOf(address, "ldloca"),
            _ => null,
        };
        return local is { } index && index < localTypes.Length && IsEnumeratorType(localTypes[index]);
    }

    /// <summary>An enumerator over a generic sequence: <see cref="IEnumerator{T}"/> or a BCL collection's struct enumerator.</summary>
    public static bool IsEnumeratorType(Type type) =>
        (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerator<>))
        || (type.IsValueType && type.Name == "Enumerator" && type.DeclaringType is { IsGenericType: true } owner && owner.GetGenericTypeDefinition() == typeof(List<>));

    private static bool IsBranchIfNull(IlInstruction instruction) => instruction.OpCode == OpCodes.Brfalse || instruction.OpCode == OpCodes.Brfalse_S;

    private static int? LocalOf(IlInstruction instruction, string prefix)
    {
        var name = instruction.OpCode.Name!;
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || (prefix == "ldloc" && name.StartsWith("ldloca", StringComparison.Ordinal))) return null;
        return name[^2] == '.' && char.IsDigit(name[^1]) ? name[^1] - '0' : instruction.IntOperand;
    }

    private static bool IsDispose(MethodBase method, IlInstruction instruction)
    {
        if (instruction.OpCode != OpCodes.Callvirt) return false;
        try
        {
            var generic = method.DeclaringType is { IsGenericType: true } type ? type.GetGenericArguments() : null;
            var called = method.Module.ResolveMethod(instruction.IntOperand, generic, method.IsGenericMethod ? method.GetGenericArguments() : null);
            return called is { Name: nameof(IDisposable.Dispose) } && called.DeclaringType == typeof(IDisposable);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
