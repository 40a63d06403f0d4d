using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// A named, typed column or child of a nested type. Immutable; equality compares name (ordinal), type,
/// nullability and metadata.
/// </summary>
public sealed class Field : IEquatable<Field>
{
    /// <summary>Creates a field.</summary>
    /// <param name="name">The name; may be empty but not null.</param>
    /// <param name="type">The Arrow type of the values.</param>
    /// <param name="nullable">Whether values may be null.</param>
    /// <param name="metadata">Custom key/value metadata, copied; null for none.</param>
    public Field(string name, IArrowType type, bool nullable, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(type);
        Name = name;
        DataType = type;
        IsNullable = nullable;
        Metadata = Arrow.Metadata.Freeze(metadata);
    }

    /// <summary>The field name.</summary>
    public string Name { get; }

    /// <summary>The Arrow type of the values.</summary>
    public IArrowType DataType { get; }

    /// <summary>Whether values may be null.</summary>
    public bool IsNullable { get; }

    /// <summary>Custom metadata, or null when there is none.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; }

    /// <summary>Whether the field has custom metadata.</summary>
    public bool HasMetadata => Metadata is not null;

    /// <inheritdoc />
    public bool Equals(Field? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (string.Equals(Name, other.Name, StringComparison.Ordinal)
                && IsNullable == other.IsNullable
                && DataType.Equals(other.DataType)
                && Arrow.Metadata.AreEqual(Metadata, other.Metadata)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Field other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, DataType, IsNullable);

    /// <summary>Renders <c>name: type</c>, with <c> not null</c> for non-nullable fields.</summary>
    public override string ToString() => IsNullable ? $"{Name}: {DataType}" : $"{Name}: {DataType} not null";
}
