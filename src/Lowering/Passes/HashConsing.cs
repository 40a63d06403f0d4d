using System.Linq.Expressions;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Passes;

/// <summary>
/// Common-subexpression sharing: rebuilds the tree so that structurally equal subtrees are one object.
/// Consumers rely on it (a node referenced twice is computed once; <see cref="IrPrinter"/> prints it once
/// as a <c>let</c>). Invariant: only identity changes, never structure.
/// </summary>
internal sealed class HashConsing
{
    private readonly IrFactory _ir;

    public HashConsing(IrFactory ir) => _ir = ir;

    public Expression Run(Expression node) => _ir.InternTree(node);
}
