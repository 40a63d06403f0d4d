namespace Dsl.Runtime.Execution;

/// <summary>
/// Orders features so that each comes after the features it reads. A parameter reads a feature when its
/// binding target (or its name) names a feature of the set — exactly, or else case-insensitively — and a
/// batch column otherwise.
/// </summary>
internal static class FeatureGraph
{
    /// <summary>The feature indexes in evaluation order (stable: definition order among independent features).</summary>
    /// <exception cref="ArgumentException">Two features share a name, or the features read each other in a cycle (named in order).</exception>
    public static int[] Order(IReadOnlyList<PlannedFeature> features)
    {
        var names = features.Select(f => f.Name).ToArray();
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Two features are named '{duplicate.Key}'.");

        var reads = features.Select(f => Reads(f, names)).ToArray();
        var state = new byte[features.Count]; // 0 unvisited, 1 on the stack, 2 done
        var order = new List<int>(features.Count);
        var stack = new List<int>();
        for (var i = 0; i < features.Count; i++) Visit(i);
        return order.ToArray();

        void Visit(int feature)
        {
            if (state[feature] == 2) return;
            stack.Add(feature);
            if (state[feature] == 1)
            {
                var cycle = stack.Skip(stack.IndexOf(feature)).Select(i => names[i]);
                throw new ArgumentException($"The features read each other in a cycle: {string.Join(" → ", cycle)}.");
            }
            state[feature] = 1;
            foreach (var dependency in reads[feature]) Visit(dependency);
            state[feature] = 2;
            stack.RemoveAt(stack.Count - 1);
            order.Add(feature);
        }
    }

    /// <summary>The indexes of the features <paramref name="feature"/>'s parameters read (see the class remarks).</summary>
    public static int[] Reads(PlannedFeature feature, IReadOnlyList<string> featureNames)
    {
        var reads = new List<int>();
        foreach (var parameter in feature.Function.Parameters)
        {
            var target = ColumnNames.TargetName(parameter, feature.Bindings);
            var index = ColumnNames.IndexOf(featureNames, target);
            if (index >= 0 && !reads.Contains(index)) reads.Add(index);
        }
        return reads.ToArray();
    }
}
