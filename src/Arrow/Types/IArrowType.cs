namespace Dsl.Arrow.Types;

/// <summary>
/// An Arrow logical type. Types compare structurally: two instances are equal when their kind and all their
/// parameters (bit width, unit, time zone, child fields, dictionary index/value types) are equal.
/// </summary>
public interface IArrowType : IEquatable<IArrowType>
{
    /// <summary>The kind of type.</summary>
    ArrowTypeId TypeId { get; }

    /// <summary>The short Arrow name of the kind (<c>int32</c>, <c>utf8</c>, <c>timestamp</c>, <c>list</c>...).</summary>
    string Name { get; }
}
