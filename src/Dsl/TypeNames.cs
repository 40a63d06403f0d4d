namespace Dsl;

/// <summary>C# spellings of CLR types for messages and listings (<c>double?</c>, <c>string[]</c>, <c>Func&lt;int, bool&gt;</c>).</summary>
public static class TypeNames
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(short)] = "short",
        [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long",
        [typeof(ulong)] = "ulong", [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal",
        [typeof(string)] = "string", [typeof(char)] = "char", [typeof(object)] = "object", [typeof(void)] = "void",
    };

    /// <summary>The type as C# source would write it.</summary>
    public static string CSharpName(Type type)
    {
        if (Keywords.TryGetValue(type, out var keyword)) return keyword;
        if (Nullable.GetUnderlyingType(type) is { } inner) return CSharpName(inner) + "?";
        if (type.IsArray) return CSharpName(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        if (type.IsGenericType)
        {
            var name = type.Name;
            var tick = name.IndexOf('`', StringComparison.Ordinal);
            if (tick >= 0) name = name[..tick];
            return name + "<" + string.Join(", ", type.GetGenericArguments().Select(CSharpName)) + ">";
        }
        return type.Name;
    }
}
