using Apache.Arrow.Types;

namespace Dsl.Codegen.Columns;

/// <summary>
/// The type of an in-memory column of CLR objects, one per row (<see cref="ColumnEncoding.Objects"/>): how a relation's
/// related rows reach a kernel when a function is evaluated over them row by row (each row's value is that parent's
/// visible related rows, as the parameter's collection type). Internal: never an Arrow type of a batch or a result.
/// </summary>
internal sealed class ClrObjectType(Type clrType) : IArrowType
{
    /// <summary>The CLR type of the values (the parameter's type).</summary>
    public Type ClrType { get; } = clrType;

    public ArrowTypeId TypeId => ArrowTypeId.Extension;

    public string Name => $"clr<{ClrType.Name}>";

    public bool IsFixedWidth => false;

    public void Accept(IArrowTypeVisitor visitor) => throw new NotSupportedException("A column of CLR objects is not an Arrow type.");

    public override bool Equals(object? obj) => obj is ClrObjectType other && other.ClrType == ClrType;

    public override int GetHashCode() => ClrType.GetHashCode();
}

/// <summary>An in-memory column of CLR objects (see <see cref="ClrObjectType"/>); a null element is a null row.</summary>
internal sealed class ObjectColumn(Type clrType, object?[] values)
{
    public ClrObjectType Type { get; } = new(clrType);

    public object?[] Values { get; } = values;

    public int Length => Values.Length;
}
