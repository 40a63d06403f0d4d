using System.Linq.Expressions;

namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// How the typed online path reads a plan's inputs from one entity object: an ordinary input from the entity's member of
/// its name, <c>Now</c> from the call's argument, a has-one relation's row from the entity's property, and a has-many
/// relation's rows from the entity's property through <see cref="OnlineRows"/> into a scratch list of the call's own
/// (slot <c>k</c> of the scratch array), so that reading them allocates nothing.
/// </summary>
internal sealed class EntityInputs(RelationInputs relations, Expression entity, ParameterExpression now, ParameterExpression scratch)
{
    private readonly List<Type> _slots = [];

    /// <summary>The element type of each scratch slot (a <c>List&lt;T&gt;</c> per has-many input read).</summary>
    public IReadOnlyList<Type> Slots => _slots;

    /// <summary>The value of input <paramref name="input"/> as <paramref name="type"/> (the plan's input type).</summary>
    /// <exception cref="ArgumentException">The entity has no member for an input, or one of the wrong type.</exception>
    public Expression Read(string input, Type type)
    {
        if (input == RelationInput.NowName)
        {
            return Expression.Condition(Expression.Property(now, nameof(Nullable<DateTime>.HasValue)), Expression.Convert(now, type),
                Expression.Throw(Expression.New(typeof(ArgumentException).GetConstructor([typeof(string), typeof(string)])!,
                    Expression.Constant("The features read Now: pass the time they are computed for."), Expression.Constant("now")), type));
        }

        if (relations.RowsOf(input) is { } rows) return Rows(rows.Relation, rows.Window, rows.AsArray, type);
        if (relations.HasOneOf(input) is { } one) return Expression.Convert(Expression.Property(entity, one.Name), type);
        return RowMembers.ReadInput(entity, input, type);
    }

    private Expression Rows(RelationInput relation, TimeSpan? window, bool asArray, Type type)
    {
        var element = relation.ElementType;
        var slot = _slots.Count;
        _slots.Add(element);
        var list = Expression.Convert(Expression.ArrayIndex(scratch, Expression.Constant(slot)), typeof(List<>).MakeGenericType(element));
        var source = Expression.Property(entity, relation.Name);
        var enumerable = typeof(IEnumerable<>).MakeGenericType(element);
        if (!enumerable.IsAssignableFrom(source.Type))
            throw new ArgumentException($"{entity.Type.Name}.{relation.Name} is {TypeNames.Display(source.Type)}, not a sequence of {element.Name}.");
        var ticks = relation.EventTime is { } time ? EventVisibility.TypedTicksReader(element, time) : null;
        var read = Expression.Call(typeof(OnlineRows), asArray ? nameof(OnlineRows.VisibleArray) : nameof(OnlineRows.Visible), [element],
            list, Expression.Convert(source, enumerable), Expression.Constant(ticks, typeof(Func<,>).MakeGenericType(element, typeof(long))),
            now, Expression.Constant(window, typeof(TimeSpan?)), Expression.Constant(relation.Name));
        return read.Type == type ? read : Expression.Convert(read, type);
    }

    /// <summary>A new scratch array for <see cref="Slots"/>: one empty list per has-many input.</summary>
    public object[] NewScratch() => _slots.Select(element => Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!).ToArray();
}
