namespace Dsl.Engine.Resolvers;

/// <summary>
/// Lookup keys as the sources receive them: every integer type as <see cref="long"/> (SQL compares it with any
/// integer column), strings and booleans as they are; a list parameter is an array of those.
/// </summary>
internal static class SqlKeyValues
{
    /// <summary>Whether a feature of (non-nullable) type <paramref name="type"/> can be a lookup key.</summary>
    public static bool IsKeyType(Type type) => IsInteger(type) || type == typeof(string) || type == typeof(bool);

    /// <summary>The CLR type the sources receive keys of <paramref name="type"/> as.</summary>
    public static Type WireType(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return IsInteger(underlying) ? typeof(long) : underlying;
    }

    /// <summary>A placeholder key of <paramref name="wireType"/>, for describing a query's columns without its rows.</summary>
    public static object Placeholder(Type wireType) =>
        wireType == typeof(long) ? 0L : wireType == typeof(bool) ? false : "";

    /// <summary><paramref name="value"/> as <paramref name="wireType"/>.</summary>
    /// <exception cref="ArgumentException">The value is of a type that does not convert exactly (a string for an integer key, a fraction).</exception>
    public static object Convert(object value, Type wireType, string key)
    {
        if (value.GetType() == wireType) return value;
        if (wireType == typeof(long))
        {
            switch (value)
            {
                case sbyte or short or int or byte or ushort or uint:
                    return System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                case ulong u when u <= long.MaxValue:
                    return (long)u;
            }
        }
        throw new ArgumentException($"The key {key} takes {TypeNames.CSharpName(wireType)} values; got {value} ({value.GetType().Name}).");
    }

    /// <summary>An array of <paramref name="wireType"/> holding <paramref name="values"/> (none null), for a list parameter.</summary>
    public static Array ToList(IReadOnlyList<object> values, Type wireType)
    {
        var list = Array.CreateInstance(wireType, values.Count);
        for (var i = 0; i < values.Count; i++) list.SetValue(values[i], i);
        return list;
    }

    private static bool IsInteger(Type type) =>
        type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(sbyte)
        || type == typeof(uint) || type == typeof(ushort) || type == typeof(byte);
}
