namespace Dsl.TestSupport.Corpus;

public static partial class LoweringCorpus
{
    private static IEnumerable<CorpusEntry> Lists()
    {
        yield return E("foreach sum", "array-fold", (Func<double[], double>)(xs =>
        {
            var sum = 0.0;
            foreach (var x in xs) sum += x;
            return sum;
        }));

        yield return E("for count", "array-fold", (Func<long[], int>)(xs =>
        {
            var count = 0;
            for (var i = 0; i < xs.Length; i++)
                if (xs[i] > 0) count++;
            return count;
        }));

        yield return E("foreach max", "array-fold", (Func<int[], int>)(xs =>
        {
            var max = int.MinValue;
            foreach (var x in xs)
                if (x > max) max = x;
            return max;
        }));

        yield return E("foreach any", "array-fold", (Func<double[], bool>)(xs =>
        {
            foreach (var x in xs)
                if (double.IsNaN(x)) return true;
            return false;
        }));

        yield return E("first match", "array-fold", (Func<int[], int>)(xs =>
        {
            foreach (var x in xs)
                if (x % 7 == 0) return x;
            return -1;
        }));

        yield return E("array length and index", "array-index", (Func<double[], double>)(xs => xs.Length > 0 ? xs[0] : double.NaN));
        yield return E("LINQ Where Sum", "linq", (Func<double[], double>)(xs => xs.Where(static x => x > 0).Sum()));
        yield return E("LINQ Count", "linq", (Func<int[], int>)(xs => xs.Count(static x => x % 2 == 0)));
        yield return E("LINQ Max", "linq", (Func<double[], double>)(xs => xs.Max()));
        yield return E("LINQ Average", "linq", (Func<long[], double>)(xs => xs.Average()));
        yield return E("LINQ Any All", "linq", (Func<double[], bool>)(xs => xs.Any(static x => x < 0) || xs.All(static x => x > 1)));
        yield return E("LINQ Select Min", "linq", (Func<int[], long>)(xs => xs.Select(static x => (long)x * x).Min()));
        yield return E("LINQ FirstOrDefault", "linq", (Func<double[], double>)(xs => xs.FirstOrDefault(static x => x > 10)));
        yield return E("array Contains", "linq", (Func<string[], string, bool>)((xs, s) => xs.Contains(s)));
        yield return E("int Sum checked", "linq", (Func<int[], int>)(xs => xs.Sum()));
        yield return E("LINQ lambda with branches", "linq", (Func<double[], double>)(xs => xs.Select(x =>
        {
            if (double.IsNaN(x)) return 0.0;
            return x < 0 ? -x : Math.Sqrt(x);
        }).Max()));
        yield return E("array literal aggregate", "array-literal", (Func<double, long>)(x =>
            new long[] { 1L, -2L, long.MaxValue }.Min() + new double[] { 1.5, -2.0, double.NaN }.Length + (long)new double[0].Sum()));
        yield return E("array literal of inputs", "array-literal", (Func<double, double?, string, double>)((a, b, s) =>
            new[] { a, b ?? a, 2.5 }.Where(static v => v > 0).Sum() + string.Concat(new[] { s, "-", s, "+", s }).Length));
    }
}
