namespace Dsl.Lowering.Analyses;

/// <summary>Whether a node's value can be null where it is evaluated.</summary>
internal enum Nullability
{
    /// <summary>Never null: a non-nullable value type, a constant, a wrapped value, or proven by a path fact.</summary>
    Never,

    /// <summary>May or may not be null.</summary>
    Maybe,

    /// <summary>Always null.</summary>
    Always,
}
