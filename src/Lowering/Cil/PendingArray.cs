using System.Collections.Immutable;
using System.Linq.Expressions;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Cil;

/// <summary>
/// One <c>newarr</c> of a constant length met by the interpreter: its element type and whether its contents have
/// been read. Every <see cref="PendingArray"/> of the same allocation refers to this one object, so a write through
/// any copy of the reference can be refused once any copy was read.
/// </summary>
internal sealed class ArrayAllocation(Type elementType, int length, IrFactory ir)
{
    /// <summary>The factory that builds the frozen array's IR.</summary>
    public IrFactory Ir { get; } = ir;

    public Type ElementType { get; } = elementType;

    public int Length { get; } = length;

    /// <summary>Set the first time the array's contents are used as a value; element writes are refused after that.</summary>
    public bool IsFrozen { get; private set; }

    public void Freeze() => IsFrozen = true;
}

/// <summary>
/// A freshly allocated array whose elements are still being written (<c>newarr; dup; ldc i; value; stelem</c>, or
/// <c>RuntimeHelpers.InitializeArray</c>): the element values so far. Immutable; an element write makes a new
/// <see cref="PendingArray"/> of the same <see cref="Allocation"/>, which replaces every copy of the old one in the
/// state (stack, locals, arguments). The first other use of the reference <see cref="Freeze"/>s it into IR: a
/// constant array when every element is a constant, else <c>new T[] { … }</c>. Nothing can write to the array after
/// that (the allocation refuses writes), so the snapshot is what every later read sees. Exists only inside the
/// interpreter; never part of the IR.
/// </summary>
internal sealed class PendingArray : InterpreterValue
{
    private Expression? _frozen;

    public PendingArray(ArrayAllocation allocation, ImmutableArray<Expression> elements)
    {
        Allocation = allocation;
        Elements = elements;
    }

    public ArrayAllocation Allocation { get; }

    public ImmutableArray<Expression> Elements { get; }

    public override Type Type => Allocation.ElementType.MakeArrayType();

    /// <summary>The same allocation with element <paramref name="index"/> set to <paramref name="value"/>.</summary>
    public PendingArray With(int index, Expression value) => new(Allocation, Elements.SetItem(index, value));

    /// <summary>
    /// The array as an IR value, from now on read-only: a constant when every element is one (so a kernel reads one
    /// shared instance and allocates nothing per row), else a <see cref="NewArrayExpression"/>.
    /// </summary>
    public Expression Freeze()
    {
        Allocation.Freeze();
        var ir = Allocation.Ir;
        if (_frozen is not null) return _frozen;
        if (Elements.All(e => e is ConstantExpression))
        {
            var array = Array.CreateInstance(Allocation.ElementType, Elements.Length);
            for (var i = 0; i < Elements.Length; i++) array.SetValue(((ConstantExpression)Elements[i]).Value, i);
            return _frozen = ir.Constant(array, Type);
        }

        return _frozen = ir.NewArray(Allocation.ElementType, Elements);
    }
}
