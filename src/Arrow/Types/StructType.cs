namespace Dsl.Arrow.Types;

/// <summary>Rows of named children, each child an array of the struct's length (Arrow <c>struct</c>).</summary>
public sealed class StructType : NestedType
{
    /// <summary>Creates a struct type with the given children, in order.</summary>
    public StructType(IReadOnlyList<Field> fields)
        : base(fields)
    {
    }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.Struct;

    /// <inheritdoc />
    public override string Name => "struct";

    /// <summary>The index of the first child named <paramref name="name"/> (ordinal comparison), or -1.</summary>
    public int GetFieldIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (var i = 0; i < Fields.Count; i++)
        {
            if (string.Equals(Fields[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"struct<{string.Join(", ", Fields.Select(f => $"{f.Name}: {f.DataType}"))}>";
}
