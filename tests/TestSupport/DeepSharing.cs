using System.Linq.Expressions;
using System.Text;
using NUnit.Framework;

namespace Dsl.TestSupport;

/// <summary>
/// Deliberately deep shared IR: <c>x1 = x0 + x0, x2 = x1 * x1, …</c>. Hash-consing makes each level one node
/// that the next level references twice, so the DAG has a few nodes per level while the tree it stands for has
/// 2^depth. A pass that walks the IR as a tree never finishes on it; one that memoizes by reference is linear.
/// </summary>
public static class DeepSharing
{
    /// <summary>Levels in the chain: far past what a tree walk can finish (2^60 visits).</summary>
    public const int Depth = 60;

    /// <summary>How long a linear pass may take on <see cref="Depth"/> levels: generous, it guards against exponential work, not speed.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A C# lambda <c>(double x0) =&gt; { var x1 = x0 + x0; var x2 = x1 * x1; … return x60; }</c> (addition
    /// and multiplication alternate, with a constant folded in at every level).
    /// </summary>
    public static string CSharpLambda(int depth = Depth)
    {
        var body = new StringBuilder("(double x0) =>\n{\n");
        for (var level = 1; level <= depth; level++)
            body.Append($"    var x{level} = x{level - 1} {(level % 2 == 1 ? '+' : '*')} (x{level - 1} - (1.0 + 2.0));\n");
        return body.Append($"    return x{depth};\n}}").ToString();
    }

    /// <summary>The same chain as an expression tree over <paramref name="x0"/>, each level sharing its operand by reference.</summary>
    public static Expression Chain(Expression x0, int depth = Depth)
    {
        var x = x0;
        for (var level = 1; level <= depth; level++)
        {
            var operand = Expression.Subtract(x, Expression.Add(Expression.Constant(1.0), Expression.Constant(2.0)));
            x = level % 2 == 1 ? Expression.Add(x, operand) : Expression.Multiply(x, operand);
        }
        return x;
    }

    /// <summary><see cref="Chain"/> as <c>Expression&lt;Func&lt;double, double&gt;&gt;</c>.</summary>
    public static Expression<Func<double, double>> Lambda(int depth = Depth)
    {
        var x0 = Expression.Parameter(typeof(double), "x0");
        return Expression.Lambda<Func<double, double>>(Chain(x0, depth), x0);
    }

    /// <summary>
    /// The chain's value, computed level by level (compiling <see cref="Lambda"/> with <c>Expression.Compile</c>
    /// would expand the DAG into a tree of 2^depth nodes).
    /// </summary>
    public static readonly Func<double, double> Evaluate = x0 =>
    {
        var x = x0;
        for (var level = 1; level <= Depth; level++) x = level % 2 == 1 ? x + (x - 3.0) : x * (x - 3.0);
        return x;
    };

    /// <summary>Runs <paramref name="work"/> and fails the test if it has not finished within <see cref="Limit"/> (an exponential walk).</summary>
    public static T FinishesInTime<T>(Func<T> work)
    {
        var task = Task.Run(work);
        if (!task.Wait(Limit)) Assert.Fail($"did not finish within {Limit.TotalSeconds} s on a {Depth}-level shared DAG: a pass walks the IR as a tree");
        return task.Result;
    }
}
