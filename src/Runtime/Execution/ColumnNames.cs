namespace Dsl.Runtime.Execution;

/// <summary>
/// Resolves the column each parameter reads: an explicit binding's target, or else the parameter's own name;
/// a name matches a column exactly first, then case-insensitively when exactly one column matches that way.
/// </summary>
internal static class ColumnNames
{
    /// <summary>
    /// The index in <paramref name="columns"/> of each parameter's column, or -1 where no column matches
    /// (the caller reports it with the types it knows).
    /// </summary>
    /// <exception cref="ColumnBindingException">A binding names no parameter, or a name matches several columns case-insensitively.</exception>
    public static int[] Resolve(IReadOnlyList<FunctionParameter> parameters, IReadOnlyDictionary<string, string>? bindings, IReadOnlyList<string> columns)
    {
        if (bindings is not null)
        {
            foreach (var bound in bindings.Keys)
            {
                if (!parameters.Any(p => p.Name == bound))
                    throw new ColumnBindingException(
                        $"The binding '{bound}={bindings[bound]}' names no parameter; the parameters are {string.Join(", ", parameters.Select(p => p.Name))}.",
                        bound, bindings[bound], null, null);
            }
        }

        var indexes = new int[parameters.Count];
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            var name = bindings is not null && bindings.TryGetValue(parameter.Name, out var target) ? target : parameter.Name;
            indexes[i] = Find(name, columns, parameter);
        }
        return indexes;
    }

    /// <summary>The column bound to <paramref name="parameter"/> by name: the text used in messages.</summary>
    public static string TargetName(FunctionParameter parameter, IReadOnlyDictionary<string, string>? bindings) =>
        bindings is not null && bindings.TryGetValue(parameter.Name, out var target) ? target : parameter.Name;

    /// <summary>The value <see cref="IndexOf"/> returns when several names match ignoring case and none exactly.</summary>
    public const int Ambiguous = -2;

    /// <summary>
    /// The index of <paramref name="name"/> in <paramref name="names"/>: the first exact match, else the only
    /// case-insensitive match; -1 when none matches, <see cref="Ambiguous"/> when several match ignoring case.
    /// </summary>
    public static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        }
        var found = -1;
        for (var i = 0; i < names.Count; i++)
        {
            if (!string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase)) continue;
            if (found >= 0) return Ambiguous;
            found = i;
        }
        return found;
    }

    private static int Find(string name, IReadOnlyList<string> columns, FunctionParameter parameter)
    {
        var index = IndexOf(columns, name);
        if (index == Ambiguous)
        {
            var matches = columns.Where(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase)).Take(2).ToArray();
            throw new ColumnBindingException(
                $"Parameter '{parameter.Name}' ({TypeNames.Display(parameter.Type)}) matches both columns '{matches[0]}' and '{matches[1]}' " +
                "ignoring case; bind it explicitly.", parameter.Name, name, parameter.Type, null);
        }
        return index;
    }
}
