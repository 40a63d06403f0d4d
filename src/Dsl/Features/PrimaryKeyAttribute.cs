namespace Dsl;

/// <summary>Marks the entity property that identifies a row (an input feature, never computed).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class PrimaryKeyAttribute : Attribute;
