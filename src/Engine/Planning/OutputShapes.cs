using System.Collections.Concurrent;
using Dsl.Engine.Graph;

namespace Dsl.Engine.Planning;

/// <summary>
/// The outputs of queries already parsed, by the list of names asked for: an online service asks the same features again and
/// again, so a query of a known shape skips resolving every name, the duplicates check and the staleness of each — the work
/// of <see cref="ParsedQuery.Parse"/> that does not depend on the inputs' values. Bounded: request bodies could otherwise
/// grow it without end; past the bound, queries are parsed in full as before.
/// </summary>
internal sealed class OutputShapes
{
    private const int MaxShapes = 1_024;
    private readonly ConcurrentDictionary<IReadOnlyList<string>, OutputShape> _shapes = new(NamesComparer.Instance);

    public bool TryGet(IReadOnlyList<string> outputs, out OutputShape shape) => _shapes.TryGetValue(outputs, out shape!);

    /// <summary>Remembers <paramref name="shape"/> for the names <paramref name="outputs"/> (copied: the caller may reuse its list).</summary>
    public void Add(IReadOnlyList<string> outputs, OutputShape shape)
    {
        if (_shapes.Count < MaxShapes) _shapes.TryAdd(outputs.ToArray(), shape);
    }

    /// <summary>Lists of names equal element by element (ordinal).</summary>
    private sealed class NamesComparer : IEqualityComparer<IReadOnlyList<string>>
    {
        public static NamesComparer Instance { get; } = new();

        public bool Equals(IReadOnlyList<string>? x, IReadOnlyList<string>? y)
        {
            if (ReferenceEquals(x, y)) return true;
            if (x is null || y is null || x.Count != y.Count) return false;
            for (var i = 0; i < x.Count; i++)
            {
                if (!string.Equals(x[i], y[i], StringComparison.Ordinal)) return false;
            }
            return true;
        }

        public int GetHashCode(IReadOnlyList<string> names)
        {
            var hash = new HashCode();
            for (var i = 0; i < names.Count; i++) hash.Add(names[i] is { } name ? StringComparer.Ordinal.GetHashCode(name) : 0);
            return hash.ToHashCode();
        }
    }
}

/// <summary>What a list of outputs parses to when the query overrides no staleness: shared by every query of the shape, never changed.</summary>
/// <param name="Entity">The entity every output is a feature of.</param>
/// <param name="Outputs">The features asked for, each once, in the order asked.</param>
/// <param name="Staleness">The declared staleness of those that have one.</param>
internal sealed record OutputShape(EntityNode Entity, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, TimeSpan> Staleness);
