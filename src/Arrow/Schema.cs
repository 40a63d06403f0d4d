using System.Text;

namespace Dsl.Arrow;

/// <summary>
/// The ordered fields of a record batch plus schema-level custom metadata. Immutable. Field names need not be
/// unique; lookups by name return the first match.
/// </summary>
public sealed class Schema : IEquatable<Schema>
{
    private readonly Field[] _fields;
    private readonly Dictionary<string, int> _firstIndexByName = new(StringComparer.Ordinal);

    /// <summary>Creates a schema.</summary>
    /// <param name="fields">The fields in column order.</param>
    /// <param name="metadata">Custom key/value metadata, copied; null for none.</param>
    public Schema(IEnumerable<Field> fields, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _fields = fields.ToArray();
        for (var i = 0; i < _fields.Length; i++)
        {
            var field = _fields[i] ?? throw new ArgumentException($"Schema field {i} is null.", nameof(fields));
            _firstIndexByName.TryAdd(field.Name, i);
        }

        Metadata = Arrow.Metadata.Freeze(metadata);
    }

    /// <summary>The fields in column order.</summary>
    public IReadOnlyList<Field> FieldsList => _fields;

    /// <summary>Schema-level custom metadata, or null when there is none.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; }

    /// <summary>Whether the schema has custom metadata.</summary>
    public bool HasMetadata => Metadata is not null;

    /// <summary>The number of fields.</summary>
    public int FieldCount => _fields.Length;

    /// <summary>The field at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not in [0, <see cref="FieldCount"/>).</exception>
    public Field GetFieldByIndex(int index)
    {
        if ((uint)index >= (uint)_fields.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The schema has {_fields.Length} fields.");
        }

        return _fields[index];
    }

    /// <summary>The index of the first field named <paramref name="name"/> (ordinal comparison), or -1.</summary>
    public int GetFieldIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _firstIndexByName.TryGetValue(name, out var index) ? index : -1;
    }

    /// <summary>The first field named <paramref name="name"/>, or null when there is none.</summary>
    public Field? GetFieldByName(string name)
    {
        var index = GetFieldIndex(name);
        return index < 0 ? null : _fields[index];
    }

    /// <inheritdoc />
    public bool Equals(Schema? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (_fields.AsSpan().SequenceEqual(other._fields) && Arrow.Metadata.AreEqual(Metadata, other.Metadata)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Schema other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var field in _fields)
        {
            hash.Add(field);
        }

        return hash.ToHashCode();
    }

    /// <summary>One line per field, as <c>name: type</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var field in _fields)
        {
            text.AppendLine(field.ToString());
        }

        return text.ToString();
    }
}
