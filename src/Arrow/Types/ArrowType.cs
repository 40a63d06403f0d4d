namespace Dsl.Arrow.Types;

/// <summary>
/// Base of every Arrow type: equality and hashing are structural. Types without parameters are equal when
/// their runtime classes are equal; parameterised types override <see cref="Equals(IArrowType?)"/> and
/// <see cref="GetHashCode"/>.
/// </summary>
public abstract class ArrowType : IArrowType
{
    /// <inheritdoc />
    public abstract ArrowTypeId TypeId { get; }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public virtual bool Equals(IArrowType? other) => other is not null && other.GetType() == GetType();

    /// <inheritdoc />
    public sealed override bool Equals(object? obj) => obj is IArrowType other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)TypeId;

    /// <summary>A readable rendering such as <c>int32</c>, <c>timestamp[us, tz=UTC]</c> or <c>list&lt;double&gt;</c>.</summary>
    public override string ToString() => Name;
}
