using System.Linq.Expressions;
using Dsl.Streams.Definition;

namespace Dsl.Streams.Parsing;

/// <summary>
/// Writes message objects (what a parse function returns) into the columns of their members, through getters compiled once
/// per member. Row by row by nature: a parse function makes one object per message.
/// </summary>
internal sealed class ObjectColumnWriter
{
    private readonly (MessageMember Member, Func<object, object?> Get, ObjectColumnWriter? Nested)[] _members;
    private readonly ColumnBuffer[] _columns;

    public ObjectColumnWriter(MessageShape shape, ColumnBuffer[] columns)
    {
        _columns = columns;
        _members = shape.Members.Select(m => (m, Getter(m), m.Nested is null ? null : new ObjectColumnWriter(m.Nested, columns))).ToArray();
    }

    /// <summary>Writes <paramref name="message"/> at <paramref name="row"/>; null, or what is wrong (a non-nullable member is null).</summary>
    public string? Write(object message, int row)
    {
        foreach (var (member, get, nested) in _members)
        {
            var value = get(message);
            if (value is null)
            {
                if (!member.Nullable && (member.Nested is not null || !member.Property.PropertyType.IsValueType))
                    return $"{member.Property.DeclaringType!.Name}.{member.Property.Name} is null (it is not nullable)";
                SetNull(member, nested, row);
                continue;
            }
            if (nested is null)
            {
                _columns[member.Column].Write(row, value);
                continue;
            }
            if (member.PresenceColumn >= 0) ((BooleanColumn)_columns[member.PresenceColumn]).Set(row, true);
            if (nested.Write(value, row) is { } problem) return problem;
        }
        return null;
    }

    private void SetAllNull(int row)
    {
        foreach (var (member, _, nested) in _members) SetNull(member, nested, row);
    }

    private void SetNull(MessageMember member, ObjectColumnWriter? nested, int row)
    {
        if (nested is null)
        {
            _columns[member.Column].SetNull(row);
            return;
        }
        if (member.PresenceColumn >= 0) ((BooleanColumn)_columns[member.PresenceColumn]).Set(row, false);
        nested.SetAllNull(row);
    }

    private static Func<object, object?> Getter(MessageMember member)
    {
        var instance = Expression.Parameter(typeof(object), "message");
        var read = Expression.Property(Expression.Convert(instance, member.Property.DeclaringType!), member.Property);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), instance).Compile();
    }
}
