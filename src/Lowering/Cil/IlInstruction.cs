using System.Reflection.Emit;

namespace Dsl.Lowering.Cil;

/// <summary>
/// One decoded CIL instruction. Branch operands are absolute target offsets (<c>int</c>, or <c>int[]</c>
/// for <c>switch</c>); metadata tokens stay raw <c>int</c>s and are resolved by the interpreter with the
/// method's generic context; other operands are their literal values.
/// </summary>
internal readonly record struct IlInstruction(int Offset, OpCode OpCode, object? Operand, int NextOffset)
{
    public int IntOperand => Convert.ToInt32(Operand, System.Globalization.CultureInfo.InvariantCulture);

    public bool IsConditionalBranch =>
        OpCode.FlowControl == FlowControl.Cond_Branch && OpCode != OpCodes.Switch;

    /// <summary>True when control never falls through to the next instruction.</summary>
    public bool EndsFlow =>
        OpCode.FlowControl is FlowControl.Branch or FlowControl.Return or FlowControl.Throw
        || OpCode == OpCodes.Leave || OpCode == OpCodes.Leave_S || OpCode == OpCodes.Endfinally;

    public override string ToString() => $"IL_{Offset:x4}: {OpCode.Name} {Operand}";
}
