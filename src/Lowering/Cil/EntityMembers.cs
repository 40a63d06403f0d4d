using System.Reflection;
using System.Runtime.CompilerServices;

namespace Dsl.Lowering.Cil;

/// <summary>
/// What counts as an entity (a user's class: a related row, a row chosen by <c>MaxBy</c>) and which of its
/// members are data: auto-properties and public fields, which the IR reads as <c>Expression.Property</c>/<c>Field</c>
/// (code generators map them to columns). Shared by both front ends.
/// </summary>
internal static class EntityMembers
{
    /// <summary>A user-defined class: not the BCL's, not an array or delegate, not a compiler-generated closure.</summary>
    public static bool IsEntityType(Type? type) =>
        type is { IsClass: true } && type != typeof(string) && !type.IsArray && !typeof(Delegate).IsAssignableFrom(type)
        && type.Assembly != typeof(object).Assembly && !(type.Namespace?.StartsWith("System", StringComparison.Ordinal) ?? false)
        && !IsCompilerGenerated(type) && !IsCompilerGenerated(type.DeclaringType);

    /// <summary>An instance property of an entity whose getter the compiler generated (it returns the backing field).</summary>
    public static bool IsAutoProperty(PropertyInfo property) =>
        IsEntityType(property.DeclaringType) && property.GetMethod is { IsStatic: false } getter && getter.GetParameters().Length == 0
        && getter.IsDefined(typeof(CompilerGeneratedAttribute), false);

    /// <summary>A getter call whose override at run time is not known (a virtual property of an unsealed type).</summary>
    public static bool IsOverridable(MethodInfo getter) => getter.IsVirtual && !getter.IsFinal && getter.DeclaringType is { IsSealed: false };

    /// <summary>The property a compiler-generated backing field (<c>&lt;Name&gt;k__BackingField</c>) stores, or null.</summary>
    public static PropertyInfo? PropertyOfBackingField(FieldInfo field)
    {
        if (field.Name is not ['<', .. var rest] || rest.IndexOf(">k__BackingField", StringComparison.Ordinal) is not (> 0 and var end)) return null;
        return field.DeclaringType!.GetProperty(rest[..end], BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly) is { GetMethod: not null } property
            ? property
            : null;
    }

    /// <summary>The property a getter belongs to.</summary>
    public static PropertyInfo? PropertyOf(MethodInfo getter) =>
        getter.IsSpecialName && getter.Name.StartsWith("get_", StringComparison.Ordinal)
            ? getter.DeclaringType!.GetProperty(getter.Name[4..], BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly) is { } property && property.GetMethod == getter ? property : null
            : null;

    private static bool IsCompilerGenerated(Type? type) => type?.IsDefined(typeof(CompilerGeneratedAttribute), false) ?? false;
}
