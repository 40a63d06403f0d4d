using System.Collections;
using System.Reflection;

namespace Dsl.Streams.Definition;

/// <summary>One column a message is read into: a member (nested ones flattened, <c>_.ContactInfo.EmailAddress</c>) or whether a nullable nested record is there.</summary>
/// <param name="Name">The column's name: <c>_</c> and the member path.</param>
/// <param name="Type">The value type (not nullable: nullability is <paramref name="Nullable"/>); <see cref="bool"/> for a presence column.</param>
/// <param name="Nullable">Whether the member may be null (a <c>T?</c> or a <c>string?</c>).</param>
public sealed record MessageColumn(string Name, Type Type, bool Nullable);

/// <summary>A member of a message record: a value (a column) or a nested record.</summary>
/// <param name="Property">The property.</param>
/// <param name="Nullable">Whether it may be null (or missing).</param>
/// <param name="Column">The column of a value member; -1 for a nested record.</param>
/// <param name="Nested">The nested record's shape; null for a value.</param>
/// <param name="PresenceColumn">For a nullable nested record, the column saying it is there; else -1.</param>
public sealed record MessageMember(PropertyInfo Property, bool Nullable, int Column, MessageShape? Nested, int PresenceColumn);

/// <summary>
/// The columns a message type is read into. A record or class: each public readable property is a member; value members
/// (<see cref="SupportedTypes"/>) become columns, nested records are flattened into their members' columns. A string message
/// is one column, <c>_</c>, the whole message. Anything else — an <c>object</c>-typed member, a record containing itself, a
/// list — is refused naming the member.
/// </summary>
public sealed class MessageShape
{
    /// <summary>The value types a member may have (and their nullable forms).</summary>
    public static readonly IReadOnlyList<Type> SupportedTypes = [typeof(bool), typeof(int), typeof(long), typeof(float), typeof(double), typeof(string), typeof(DateTime)];

    /// <summary>The name of the column holding a whole (string) message.</summary>
    public const string WholeMessage = "_";

    private MessageShape(Type type, IReadOnlyList<MessageMember> members)
    {
        Type = type;
        Members = members;
    }

    /// <summary>The record or class.</summary>
    public Type Type { get; }

    /// <summary>Its members in declaration order (empty for a whole message).</summary>
    public IReadOnlyList<MessageMember> Members { get; }

    /// <summary>The member named <paramref name="name"/> (ordinal), or null.</summary>
    public MessageMember? Member(string name)
    {
        foreach (var member in Members)
        {
            if (member.Property.Name == name) return member;
        }
        return null;
    }

    /// <summary>The shape of <paramref name="messageType"/> and its columns, in order.</summary>
    /// <exception cref="StreamDefinitionException">A member cannot be read as a column.</exception>
    public static (MessageShape Shape, IReadOnlyList<MessageColumn> Columns) Of(Type messageType, string resolver)
    {
        var columns = new List<MessageColumn>();
        if (messageType == typeof(string))
        {
            columns.Add(new MessageColumn(WholeMessage, typeof(string), false));
            return (new MessageShape(messageType, []), columns);
        }
        if (IsValue(messageType) || !messageType.IsClass || typeof(IEnumerable).IsAssignableFrom(messageType))
            throw new StreamDefinitionException(resolver, $"the message type {messageType.Name} is neither a string nor a record or class with properties.");
        return (Build(messageType, WholeMessage, messageType.Name, [messageType], columns, resolver, new NullabilityInfoContext()), columns);
    }

    private static MessageShape Build(Type type, string prefix, string display, HashSet<Type> enclosing, List<MessageColumn> columns, string resolver, NullabilityInfoContext nullability)
    {
        var members = new List<MessageMember>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
        {
            var where = $"{display}.{property.Name}";
            var declared = property.PropertyType;
            var underlying = Nullable.GetUnderlyingType(declared);
            var nullable = underlying is not null || (!declared.IsValueType && nullability.Create(property).ReadState == NullabilityState.Nullable);
            var valueType = underlying ?? declared;
            var name = $"{prefix}.{property.Name}";
            if (valueType == typeof(object) || valueType == typeof(System.Dynamic.ExpandoObject))
                throw new StreamDefinitionException(resolver, $"{where}: an object-typed member cannot be read from a message; give it a concrete type ({Supported()}, or a record).");
            if (IsValue(valueType))
            {
                members.Add(new MessageMember(property, nullable, columns.Count, null, -1));
                columns.Add(new MessageColumn(name, valueType, nullable));
                continue;
            }
            if (enclosing.Contains(valueType))
                throw new StreamDefinitionException(resolver, $"{where}: {valueType.Name} contains itself through this member, so a message of it has no fixed set of columns; remove the cycle.");
            if (typeof(IEnumerable).IsAssignableFrom(valueType) || valueType.IsInterface || valueType.IsAbstract || !valueType.IsClass)
                throw new StreamDefinitionException(resolver, $"{where}: members of type {TypeNames.CSharpName(declared)} are not supported; a member is {Supported()} (or nullable), or a record of those.");
            var presence = -1;
            if (nullable)
            {
                presence = columns.Count;
                columns.Add(new MessageColumn(name + ".$present", typeof(bool), false));
            }
            enclosing.Add(valueType);
            var nested = Build(valueType, name, where, enclosing, columns, resolver, nullability);
            enclosing.Remove(valueType);
            members.Add(new MessageMember(property, nullable, -1, nested, presence));
        }
        return new MessageShape(type, members);
    }

    private static bool IsValue(Type type) => SupportedTypes.Contains(type);

    private static string Supported() => string.Join(", ", SupportedTypes.Select(t => TypeNames.CSharpName(t)));
}
