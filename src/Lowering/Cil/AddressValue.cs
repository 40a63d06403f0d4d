using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Cil;

/// <summary>What a managed pointer on the symbolic stack points to.</summary>
internal enum AddressKind
{
    Local,
    Argument,
    /// <summary>A field of the struct that <see cref="AddressValue.Parent"/> points to.</summary>
    Field,

    /// <summary>A field of the captured variables <see cref="AddressValue.Target"/> (a closure object or display struct value).</summary>
    Captured,

    /// <summary>Element <see cref="AddressValue.Index"/> of the inline array held by the local <see cref="AddressValue.Parent"/> points to.</summary>
    Element,
}

/// <summary>
/// A managed pointer on the symbolic evaluation stack (<c>ldloca</c>, <c>ldarga</c>, <c>ldflda</c>): it names a
/// slot rather than holding a value, so calls on struct locals (<c>Nullable&lt;T&gt;.HasValue</c>) and
/// <c>initobj</c> read and write that slot. Exists only inside the interpreter; never part of the IR.
/// </summary>
internal sealed class AddressValue : InterpreterValue
{
    public AddressValue(AddressKind kind, int index, Type pointee, AddressValue? parent = null, FieldInfo? field = null, CapturedVariables? target = null)
    {
        Kind = kind;
        Index = index;
        Pointee = pointee;
        Parent = parent;
        FieldInfo = field;
        Target = target;
    }

    public AddressKind Kind { get; }

    public int Index { get; }

    /// <summary>The type of the slot pointed to.</summary>
    public Type Pointee { get; }

    public AddressValue? Parent { get; }

    public FieldInfo? FieldInfo { get; }

    /// <summary>For <see cref="AddressKind.Captured"/>: the captured variables whose field is pointed to.</summary>
    public CapturedVariables? Target { get; }

    public override Type Type => Pointee.MakeByRefType();
}
