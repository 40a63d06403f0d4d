using System.Linq.Expressions;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Passes;

/// <summary>
/// The IR passes, in the order they run, declared in one place. Both front ends hand their tree to
/// <see cref="Run"/>; it repeats the sequence until the tree stops changing (at most a few rounds).
/// </summary>
internal sealed class LoweringPipeline
{
    private const int MaxRounds = 4;
    private readonly IReadOnlyList<(string Name, Func<Expression, Expression> Pass)> _passes;

    public LoweringPipeline(IrFactory ir)
    {
        _passes =
        [
            (nameof(NullableSimplification), new NullableSimplification(ir).Run),
            (nameof(ConstantFolding), new ConstantFolding(ir).Run),
            (nameof(DeadBranchElimination), new DeadBranchElimination(ir).Run),
            (nameof(HashConsing), new HashConsing(ir).Run),
        ];
    }

    public IEnumerable<string> PassNames => _passes.Select(p => p.Name);

    public Expression Run(Expression body)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            var before = body;
            foreach (var (_, pass) in _passes) body = pass(body);
            if (ReferenceEquals(before, body)) break;
        }

        return body;
    }
}
