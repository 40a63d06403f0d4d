using System.Linq.Expressions;

namespace Dsl;

/// <summary>
/// One feature of an entity: a property of the entity class, either an input or computed from other
/// features by its definition.
/// </summary>
/// <remarks>
/// Invariant for computed features: <see cref="Function"/>'s parameters are, in order, bound to
/// <see cref="Dependencies"/>, and each parameter's type accepts its feature's type (the same type, or
/// <c>T</c> for a nullable <c>T?</c> feature, in which case a null makes this feature null without
/// calling the function).
/// </remarks>
public sealed class Feature
{
    internal Feature(string name, Type type, bool isNullable, bool isPrimaryKey, FeatureKind kind)
    {
        Name = name;
        Type = type;
        IsNullable = isNullable;
        IsPrimaryKey = isPrimaryKey;
        Kind = kind;
    }

    /// <summary>The name of the <see cref="FeatureKind.Now"/> feature: not a property, and no property can be named so.</summary>
    public const string NowName = "$now";

    /// <summary>The property's name (<c>Spend[7d]</c> for one window of a windowed feature).</summary>
    public string Name { get; }

    /// <summary>The property's CLR type (<c>double?</c> for a nullable number).</summary>
    public Type Type { get; }

    /// <summary>True for <c>T?</c> value types and <c>string?</c>/nullable-annotated reference types.</summary>
    public bool IsNullable { get; }

    /// <summary>True for the property marked <see cref="PrimaryKeyAttribute"/>.</summary>
    public bool IsPrimaryKey { get; }

    /// <summary>How the feature gets its value.</summary>
    public FeatureKind Kind { get; internal set; }

    /// <summary>The features the definition reads, in the order of <see cref="Function"/>'s parameters.</summary>
    public IReadOnlyList<string> Dependencies { get; internal set; } = [];

    /// <summary>The definition as text: the expression, the string, or the resolver's signature.</summary>
    public string? Source { get; internal set; }

    /// <summary>The function that computes the feature: a <see cref="LambdaExpression"/> or a <see cref="Delegate"/>; null for inputs.</summary>
    internal object? Function { get; set; }

    /// <summary>For one window of a windowed feature: the window (its related rows are those with <c>Now − Window &lt; EventTime ≤ Now</c>).</summary>
    public TimeSpan? Window { get; internal set; }

    /// <summary>For a relation feature: the relation.</summary>
    public Relation? Relation { get; internal set; }

    /// <summary>The C# spelling of the type, with <c>?</c> for nullable reference types.</summary>
    public string TypeName => TypeNames.CSharpName(Type) + (IsNullable && !Type.IsValueType ? "?" : "");

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {TypeName} ({Kind})";
}
