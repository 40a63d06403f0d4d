using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;

namespace Dsl.Codegen.Aggregation;

/// <summary>
/// The per-parent state of a kernel's aggregates (sums, counts, flags), interleaved: one struct per parent holds every
/// aggregate's numeric state, so a related row updates one cache line of its parent instead of one line per state
/// array — with hundreds of thousands of parents the scan's cost is those misses. The struct type is generated once per
/// list of field types. State of other types (nullable values, sets, rows' exceptions) keeps an array of its own.
/// </summary>
internal sealed class ParentState
{
    private static readonly ModuleBuilder s_module = AssemblyBuilder
        .DefineDynamicAssembly(new AssemblyName("Dsl.Codegen.ParentStates"), AssemblyBuilderAccess.Run).DefineDynamicModule("ParentStates");

    /// <summary>The struct per list of field types: plans compiled again and again (a server's) reuse the types they need.</summary>
    private static readonly Dictionary<string, Type> s_types = new(StringComparer.Ordinal);

    private static readonly Lock s_define = new();

    private readonly List<StateField> _fields = [];
    private readonly List<ParameterExpression> _variables = [];
    private ParameterExpression? _interleaved;

    /// <summary>The arrays the state lives in (the interleaved one once <see cref="Build"/> ran).</summary>
    public IEnumerable<ParameterExpression> Variables => _interleaved is null ? _variables : _variables.Prepend(_interleaved);

    /// <summary>
    /// A state value of <paramref name="type"/> per parent. <paramref name="ownArray"/>: an array of its own, which
    /// <see cref="Allocate"/> leaves null — its owner allocates it where it knows the array may be needed.
    /// </summary>
    public StateField Add(Type type, string name, bool ownArray = false)
    {
        if (_interleaved is not null) throw new InvalidOperationException("The parent state is already laid out.");
        var field = new StateField(type, name, SizeOf(type) > 0 && !ownArray ? null : Expression.Variable(type.MakeArrayType(), name)) { AllocatedByOwner = ownArray };
        if (field.Array is not null) _variables.Add(field.Array);
        _fields.Add(field);
        return field;
    }

    /// <summary>Lays out the interleaved struct (once every field is added, before any is read).</summary>
    public void Build()
    {
        var numeric = _fields.Where(f => f.Array is null).OrderByDescending(f => SizeOf(f.Type)).ToArray();
        if (numeric.Length == 0 || _interleaved is not null) return;
        var key = string.Join(",", numeric.Select(f => f.Type.FullName));
        Type? type;
        lock (s_define)
        {
            if (!s_types.TryGetValue(key, out type))
            {
                var builder = s_module.DefineType($"ParentState{s_types.Count + 1}",
                    TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.SequentialLayout, typeof(ValueType));
                for (var k = 0; k < numeric.Length; k++) builder.DefineField($"f{k}", numeric[k].Type, FieldAttributes.Public);
                s_types[key] = type = builder.CreateType();
            }
        }

        for (var k = 0; k < numeric.Length; k++) numeric[k].Field = type.GetField($"f{k}")!;
        _interleaved = Expression.Variable(type.MakeArrayType(), "state");
    }

    /// <summary>Allocates the state of <paramref name="count"/> parents (the interleaved array from <paramref name="pool"/>, a <see cref="StatePool"/>).</summary>
    public IEnumerable<Expression> Allocate(Expression count, Expression pool) => Variables.Select(v => (Expression)Expression.Assign(v,
        _fields.Any(f => f.Array == v && f.AllocatedByOwner) ? Expression.Constant(null, v.Type)
        : v == _interleaved ? Expression.Call(pool, nameof(StatePool.Rent), [v.Type.GetElementType()!], count)
        : Expression.NewArrayBounds(v.Type.GetElementType()!, count)));

    /// <summary>Gives the interleaved array back to <paramref name="pool"/> once the run no longer reads it.</summary>
    public Expression Release(Expression pool) => _interleaved is null
        ? Expression.Empty()
        : Expression.Call(pool, nameof(StatePool.Return), null, _interleaved);

    /// <summary>The <paramref name="field"/> of the parent at <paramref name="local"/> (assignable).</summary>
    public Expression Slot(StateField field, Expression local) => field.Array is { } array
        ? Expression.ArrayAccess(array, local)
        : Expression.Field(Expression.ArrayAccess(_interleaved ?? throw new InvalidOperationException("The parent state is not laid out yet."), local),
            field.Field!);

    /// <summary>Prefetches the interleaved state of the parent at <paramref name="local"/> (nothing when no state is interleaved).</summary>
    public Expression Prefetch(Expression local) => _interleaved is null
        ? Expression.Empty()
        : Expression.Call(typeof(StatePrefetch), nameof(StatePrefetch.Slot), [_interleaved.Type.GetElementType()!], _interleaved, local);

    /// <summary>The size of a type the struct holds (a primitive or decimal), else 0: it keeps its own array.</summary>
    private static int SizeOf(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Decimal => 16,
        TypeCode.Double or TypeCode.Int64 or TypeCode.UInt64 => 8,
        TypeCode.Single or TypeCode.Int32 or TypeCode.UInt32 => 4,
        TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Char => 2,
        TypeCode.Boolean or TypeCode.Byte or TypeCode.SByte => 1,
        _ => 0,
    } is var size && !type.IsEnum ? size : 0;
}

/// <summary>One state value per parent: a field of the interleaved struct, or an array of its own.</summary>
internal sealed class StateField(Type type, string name, ParameterExpression? array)
{
    public Type Type { get; } = type;

    public string Name { get; } = name;

    /// <summary>The array of a value that is not interleaved; else null.</summary>
    public ParameterExpression? Array { get; } = array;

    /// <summary>Whether the field's owner allocates its array (else the kernel does, with the rest of the state).</summary>
    public bool AllocatedByOwner { get; init; }

    /// <summary>The struct's field, once laid out.</summary>
    public FieldInfo? Field { get; set; }
}
