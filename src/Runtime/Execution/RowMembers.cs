using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Runtime.Execution;

/// <summary>
/// Binds a feature plan's inputs and features to the public properties and fields of a CLR type, by name with the
/// batch path's rule (an exact match first, then the only case-insensitive one), and checks the types: an input
/// member holds the input's type or its non-nullable form; a feature member holds the feature's type, or its
/// nullable form.
/// </summary>
internal static class RowMembers
{
    /// <summary>Reads input <paramref name="name"/> of <paramref name="inputType"/> (<c>T?</c> or a reference type) from <paramref name="row"/>.</summary>
    /// <exception cref="ArgumentException">No readable member matches, several do, or its type cannot hold the input.</exception>
    public static Expression ReadInput(Expression row, string name, Type inputType)
    {
        var member = Find(row.Type, name, readable: true, "input");
        var memberType = TypeOf(member);
        var access = Expression.MakeMemberAccess(row, member);
        if (memberType == inputType) return access;
        if (Nullable.GetUnderlyingType(inputType) == memberType || (!inputType.IsValueType && inputType.IsAssignableFrom(memberType)))
            return Expression.Convert(access, inputType);
        throw new ArgumentException(
            $"Member {row.Type.Name}.{member.Name} is {TypeNames.Display(memberType)}, but input '{name}' is read as {TypeNames.Display(inputType)}.");
    }

    /// <summary>
    /// Writes a feature's (value, valid) pair into the member of <paramref name="row"/> named <paramref name="name"/>:
    /// the value when valid, null (or the default of a non-nullable value type) otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// No writable member matches, several do, or its type cannot hold the feature's values (a feature that returns
    /// null needs a member that can hold null).
    /// </exception>
    public static Expression WriteFeature(Expression row, string name, Type returnType, ParameterExpression value, ParameterExpression valid)
    {
        Expression target;
        MemberInfo member;
        if (WindowIndexer(row.Type, name) is { } windowed)
        {
            // A windowed feature (Spend[7d]) goes into its window of the member (Spend), through its string indexer.
            member = windowed.Member;
            target = Expression.MakeIndex(Expression.MakeMemberAccess(row, member), windowed.Indexer, [Expression.Constant(windowed.Window)]);
        }
        else
        {
            member = Find(row.Type, name, readable: false, "feature");
            target = Expression.MakeMemberAccess(row, member);
        }

        var memberType = target.Type;
        var stored = value.Type;
        var accepts = stored.IsValueType
            ? memberType == typeof(Nullable<>).MakeGenericType(stored) || (memberType == stored && Nullable.GetUnderlyingType(returnType) is null)
            : memberType.IsAssignableFrom(stored);
        if (!accepts)
        {
            var allowed = stored.IsValueType && Nullable.GetUnderlyingType(returnType) is null
                ? $"{TypeNames.Display(stored)} or {TypeNames.Display(typeof(Nullable<>).MakeGenericType(stored))}"
                : TypeNames.Display(returnType);
            throw new ArgumentException(
                $"Member {row.Type.Name}.{member.Name} is {TypeNames.Display(memberType)}, but feature '{name}' is {TypeNames.Display(returnType)}; declare the member as {allowed}.");
        }

        Expression converted = memberType == stored ? value : Expression.Convert(value, memberType);
        return Expression.Assign(target, Expression.Condition(valid, converted, Expression.Default(memberType)));
    }

    /// <summary>
    /// For a feature named <c>Member[window]</c>, the readable member of that name whose type has a settable string
    /// indexer (a <c>Windowed&lt;T&gt;</c>), and the window; null for any other name or member.
    /// </summary>
    private static (MemberInfo Member, PropertyInfo Indexer, string Window)? WindowIndexer(Type type, string name)
    {
        var open = name.IndexOf('[', StringComparison.Ordinal);
        if (open <= 0 || !name.EndsWith(']')) return null;
        var readable = type.GetMembers(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m is PropertyInfo { GetMethod.IsPublic: true } p && p.GetIndexParameters().Length == 0 || m is FieldInfo).ToArray();
        var index = ColumnNames.IndexOf(readable.Select(m => m.Name).ToArray(), name[..open]);
        if (index < 0) return null;
        var indexer = TypeOf(readable[index]).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => p.GetIndexParameters() is [{ ParameterType: var key }] && key == typeof(string) && p.SetMethod is { IsPublic: true });
        return indexer is null ? null : (readable[index], indexer, name[(open + 1)..^1]);
    }

    private static MemberInfo Find(Type type, string name, bool readable, string role)
    {
        var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m switch
            {
                PropertyInfo p => p.GetIndexParameters().Length == 0 && (readable ? p.GetMethod?.IsPublic == true : p.SetMethod?.IsPublic == true),
                FieldInfo f => readable || !f.IsInitOnly,
                _ => false,
            })
            .ToArray();
        var index = ColumnNames.IndexOf(members.Select(m => m.Name).ToArray(), name);
        if (index >= 0) return members[index];
        var kind = readable ? "readable" : "writable";
        throw new ArgumentException(index == ColumnNames.Ambiguous
            ? $"{role} '{name}' matches several public members of {type.Name} ignoring case; rename one of them."
            : $"{type.Name} has no public {kind} property or field named '{name}' for the {role} of that name; its {kind} members are {(members.Length == 0 ? "none" : string.Join(", ", members.Select(m => m.Name)))}.");
    }

    private static Type TypeOf(MemberInfo member) => member is PropertyInfo property ? property.PropertyType : ((FieldInfo)member).FieldType;
}
