namespace Dsl.Runtime.Execution;

/// <summary>CLR types written as C# spells them (<c>double?</c>, <c>string</c>, <c>long[]</c>), for error messages.</summary>
internal static class TypeNames
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(short)] = "short",
        [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long",
        [typeof(ulong)] = "ulong", [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal",
        [typeof(string)] = "string", [typeof(object)] = "object", [typeof(char)] = "char", [typeof(void)] = "void",
    };

    public static string Display(Type type)
    {
        if (Keywords.TryGetValue(type, out var keyword)) return keyword;
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Display(underlying) + "?";
        if (type.IsArray) return Display(type.GetElementType()!) + "[]";
        if (!type.IsGenericType) return type.Name;
        var name = type.Name[..type.Name.IndexOf('`')];
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(Display))}>";
    }

    public static string Signature(IEnumerable<Type> parameters, Type returnType) =>
        $"({string.Join(", ", parameters.Select(Display))}) → {Display(returnType)}";
}
