using System.Text;

namespace Dsl.Streams.Definition;

/// <summary>Fully qualified feature names as queries spell them: the entity and the feature in snake case, <c>user.full_name</c>.</summary>
public static class QualifiedNames
{
    /// <summary><c>User</c>, <c>FullName</c> → <c>user.full_name</c>.</summary>
    public static string Of(string entity, string feature) => $"{Snake(entity)}.{Snake(feature)}";

    /// <summary><c>FullName</c> → <c>full_name</c>; <c>HTTPCode</c> → <c>http_code</c>.</summary>
    public static string Snake(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}
