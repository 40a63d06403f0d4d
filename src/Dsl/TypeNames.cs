namespace Dsl;

/// <summary>C# spellings of CLR types for messages and listings (<c>double?</c>, <c>string[]</c>, <c>Func&lt;int, bool&gt;</c>).</summary>
public static class TypeNames
{
    /// <summary>The type as C# source would write it; the same spelling the runtime's messages use.</summary>
    public static string CSharpName(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Runtime.Execution.TypeNames.Display(type);
    }
}
