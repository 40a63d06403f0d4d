using System.Collections.Immutable;
using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Cil;

/// <summary>
/// One allocation of a compiler-generated closure class (<c>&lt;&gt;c__DisplayClass…</c>) met by the interpreter. Every
/// <see cref="CapturedVariables"/> value of it refers to this object, so once a lambda over the closure has been built
/// (and lowered with the variables' values at that point), a later write through any copy of the reference is refused:
/// a C# lambda reads its captured variables when it runs, which may be after the write.
/// </summary>
internal sealed class ClosureAllocation(Type type)
{
    public Type Type { get; } = type;

    /// <summary>Set when a delegate over the closure is created; writes are refused after that.</summary>
    public bool IsFrozen { get; private set; }

    public void Freeze() => IsFrozen = true;
}

/// <summary>
/// The variables a C# closure captured: a compiler-generated display class (allocated by the function, shared by the
/// lambdas it creates) or display struct (passed by reference to local functions). Holds the IR value of each field
/// written so far; a field never written reads as its default. Immutable: a field write makes a new value of the same
/// <see cref="Allocation"/>, which replaces every copy of the old one in the state (for a class; a struct is a value).
/// </summary>
internal sealed class CapturedVariables(Type type, ClosureAllocation? allocation, ImmutableDictionary<FieldInfo, Expression> fields) : InterpreterValue
{
    public override Type Type { get; } = type;

    /// <summary>The class allocation this value is a version of; null for a display struct.</summary>
    public ClosureAllocation? Allocation { get; } = allocation;

    public ImmutableDictionary<FieldInfo, Expression> Fields { get; } = fields;

    /// <summary>A fresh display class allocation or an empty display struct.</summary>
    public static CapturedVariables Create(Type type) =>
        new(type, type.IsValueType ? null : new ClosureAllocation(type), ImmutableDictionary<FieldInfo, Expression>.Empty);

    /// <summary>True for the types C# generates to hold captured variables.</summary>
    public static bool IsDisplayType(Type type) =>
        type.Name.Contains("DisplayClass", StringComparison.Ordinal) && type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false);

    public CapturedVariables With(FieldInfo field, Expression value) => new(Type, Allocation, Fields.SetItem(field, value));

    /// <summary>This value with every field holding a replaced object updated (a nested closure's parent link, <c>CS$&lt;&gt;8__locals1</c>).</summary>
    public CapturedVariables Replace(Func<Expression, bool> same, Expression after)
    {
        var fields = Fields;
        foreach (var (field, value) in Fields)
            if (same(value)) fields = fields.SetItem(field, after);
        return fields == Fields ? this : new CapturedVariables(Type, Allocation, fields);
    }

    /// <summary>Freezes this closure and every closure it links to: a lambda over it was built.</summary>
    public void Freeze()
    {
        Allocation?.Freeze();
        foreach (var value in Fields.Values)
            if (value is CapturedVariables parent) parent.Freeze();
    }

    /// <summary>The value of <paramref name="field"/>, or null when it was never written (the caller uses the default).</summary>
    public Expression? Read(FieldInfo field) => Fields.TryGetValue(field, out var value) ? value : null;

    /// <summary>True when <paramref name="other"/> is a version of the same variables (the same allocation, or both structs of one type).</summary>
    public bool IsSameObject(CapturedVariables other) => Allocation is null ? other.Allocation is null && other.Type == Type : Allocation == other.Allocation;
}
