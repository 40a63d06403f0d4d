namespace Dsl.Fuzz.Generation;

/// <summary>A statement of a generated resolver. Blocks own their locals; names are unique per program.</summary>
public abstract record Stmt
{
    public abstract void Render(SourceWriter w);
}

/// <summary><c>{ s1; s2; … }</c>.</summary>
public sealed record Block(Stmt[] Statements)
{
    public void Render(SourceWriter w)
    {
        w.Line("{");
        w.Indent++;
        foreach (var s in Statements) s.Render(w);
        w.Indent--;
        w.Line("}");
    }
}

/// <summary><c>T name = init;</c></summary>
public sealed record Declare(FuzzType Type, string Name, Expr Init) : Stmt
{
    public override void Render(SourceWriter w) => w.Line($"{Type.CSharp} {Name} = {Init.Render()};");
}

/// <summary><c>name = value;</c> or, with an operator, <c>name += value;</c></summary>
public sealed record Assign(string Name, Expr Value, string? CompoundOperator = null) : Stmt
{
    public override void Render(SourceWriter w) => w.Line($"{Name} {CompoundOperator}= {Value.Render()};");
}

/// <summary><c>return value;</c></summary>
public sealed record Return(Expr Value) : Stmt
{
    public override void Render(SourceWriter w) => w.Line($"return {Value.Render()};");
}

/// <summary><c>if (condition) { … } else { … }</c>; the else block is optional.</summary>
public sealed record If(Expr Condition, Block Then, Block? Else) : Stmt
{
    public override void Render(SourceWriter w)
    {
        w.Line($"if ({Condition.Render()})");
        Then.Render(w);
        if (Else is null) return;
        w.Line("else");
        Else.Render(w);
    }
}

/// <summary><c>for (int v = 0; v &lt; count; v++) { … }</c>: a constant bound, and the body never assigns v.</summary>
public sealed record For(string Variable, int Count, Block Body) : Stmt
{
    public override void Render(SourceWriter w)
    {
        w.Line($"for (int {Variable} = 0; {Variable} < {Count}; {Variable}++)");
        Body.Render(w);
    }
}

/// <summary><c>foreach (var v in array) { … }</c>: a fold over an array-typed value.</summary>
public sealed record Foreach(string Variable, Expr Array, Block Body) : Stmt
{
    public override void Render(SourceWriter w)
    {
        w.Line($"foreach (var {Variable} in {Array.Render()})");
        Body.Render(w);
    }
}

/// <summary><c>checked { … }</c>: integer arithmetic inside throws OverflowException.</summary>
public sealed record Checked(Block Body) : Stmt
{
    public override void Render(SourceWriter w)
    {
        w.Line("checked");
        Body.Render(w);
    }
}

/// <summary>
/// <c>switch (subject) { case k: { … break; } … default: { … break; } }</c> with distinct constant labels; every
/// section ends in <c>break</c>, so none falls through.
/// </summary>
public sealed record Switch(Expr Subject, (Literal Label, Block Body)[] Cases, Block Default) : Stmt
{
    public override void Render(SourceWriter w)
    {
        w.Line($"switch ({Subject.Render()})");
        w.Line("{");
        w.Indent++;
        foreach (var (label, body) in Cases) Section($"case {label.Render()}:", body, w);
        Section("default:", Default, w);
        w.Indent--;
        w.Line("}");
    }

    private static void Section(string label, Block body, SourceWriter w)
    {
        w.Line(label);
        w.Indent++;
        w.Line("{");
        w.Indent++;
        foreach (var s in body.Statements) s.Render(w);
        w.Line("break;");
        w.Indent--;
        w.Line("}");
        w.Indent--;
    }
}

/// <summary>Indented line-by-line C# text.</summary>
public sealed class SourceWriter
{
    private readonly List<string> _lines = [];

    public int Indent { get; set; }

    public int LineCount => _lines.Count;

    public void Line(string line) => _lines.Add(new string(' ', Indent * 4) + line);

    public void AppendToLastLine(string text) => _lines[^1] += text;

    public override string ToString() => string.Join('\n', _lines) + '\n';
}
