namespace Dsl.Fuzz.Generation;

/// <summary>A variable visible to generated code: a parameter, a local, or a read-only loop variable.</summary>
public sealed record Variable(string Name, FuzzType Type, bool Assignable, int LoopDepth);

/// <summary>Nested scopes of the program being generated or checked; names are unique per program.</summary>
public sealed class Scope
{
    private readonly List<List<Variable>> _frames = [[]];

    public void Push() => _frames.Add([]);

    public void Pop() => _frames.RemoveAt(_frames.Count - 1);

    public void Add(Variable v) => _frames[^1].Add(v);

    public IEnumerable<Variable> All => _frames.SelectMany(f => f);

    public Variable? Find(string name) => All.FirstOrDefault(v => v.Name == name);

    public IReadOnlyList<Variable> OfType(FuzzType type) => All.Where(v => v.Type == type).ToList();
}
