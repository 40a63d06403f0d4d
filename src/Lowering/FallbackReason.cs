namespace Dsl.Lowering;

/// <summary>
/// Why a function could not be lowered exactly, and where: the construct (a short stable category such as
/// <c>virtual-call</c>, <c>try-catch</c>, <c>loop</c>, <c>gas</c>), a human message, the IL offset and,
/// when a PDB is available, the source file, line and column.
/// </summary>
internal sealed record FallbackReason(
    string Construct,
    string Message,
    int? IlOffset = null,
    string? SourceFile = null,
    int? Line = null,
    int? Column = null)
{
    /// <summary>One line: <c>message (construct) at IL_0012, File.cs:12:5</c>.</summary>
    public override string ToString()
    {
        var where = new List<string>();
        if (IlOffset is { } offset) where.Add($"IL_{offset:x4}");
        if (Line is { } line) where.Add(Column is { } column ? $"{SourceFile ?? "line"}:{line}:{column}" : $"{SourceFile ?? "line"}:{line}");
        return where.Count == 0 ? $"{Message} ({Construct})" : $"{Message} ({Construct}) at {string.Join(", ", where)}";
    }
}
