using Apache.Arrow;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>The dictionaries a reader has seen, by id, and which field each id belongs to.</summary>
internal sealed class DictionaryMemo
{
    private readonly Dictionary<long, DictionaryField> _fieldsById = [];
    private readonly Dictionary<Field, long> _idsByField = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<long, ArrayData> _dictionaries = [];

    public DictionaryMemo(IReadOnlyList<DictionaryField> fields, string where)
    {
        foreach (var field in fields)
        {
            if (!_fieldsById.TryAdd(field.Id, field))
            {
                throw new ArrowFormatException($"{where}: dictionary id {field.Id} is used by both {_fieldsById[field.Id].Path} and {field.Path}.");
            }

            _idsByField[field.Field] = field.Id;
        }
    }

    /// <summary>The dictionary-encoded field that dictionary <paramref name="id"/> belongs to.</summary>
    public DictionaryField FieldOf(long id, string where) =>
        _fieldsById.TryGetValue(id, out var field)
            ? field
            : throw new ArrowFormatException($"{where}: dictionary batch id {id} matches no dictionary-encoded field of the schema.");

    /// <summary>Replaces the dictionary of <paramref name="id"/> (batches read earlier keep the one they were read with).</summary>
    public void Set(long id, ArrayData values) => _dictionaries[id] = values;

    /// <summary>The current dictionary of a dictionary-encoded field.</summary>
    public ArrayData Get(Field field, string where, string path)
    {
        var id = _idsByField[field];
        return _dictionaries.TryGetValue(id, out var values)
            ? values
            : throw new ArrowFormatException($"{where}, field {path}: no dictionary batch with id {id} came before this record batch.");
    }
}
