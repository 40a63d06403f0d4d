namespace Dsl.Arrow.Types;

/// <summary>A type with child fields (list, struct). Equality compares the child fields in order.</summary>
public abstract class NestedType : ArrowType
{
    private readonly Field[] _fields;

    /// <summary>Initialises the child fields, rejecting null entries.</summary>
    protected NestedType(IEnumerable<Field> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _fields = fields.ToArray();
        for (var i = 0; i < _fields.Length; i++)
        {
            if (_fields[i] is null)
            {
                throw new ArgumentException($"Child field {i} of a {Name} type is null.", nameof(fields));
            }
        }
    }

    /// <summary>The child fields in order.</summary>
    public IReadOnlyList<Field> Fields => _fields;

    /// <inheritdoc />
    public override bool Equals(IArrowType? other) =>
        other is NestedType n && n.GetType() == GetType() && n._fields.AsSpan().SequenceEqual(_fields);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(TypeId);
        foreach (var field in _fields)
        {
            hash.Add(field);
        }

        return hash.ToHashCode();
    }
}
