using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Dsl.Codegen.Compilation;

/// <summary>
/// The structure of an IR tree as a cache key: two trees get equal keys iff they have the same shape, node
/// types, CLR types, members and constants, with parameters, variables and labels identified by their order of
/// appearance (so separately lowered copies of one function share a key). Primitive constants are compared by
/// their exact bits (so 0.0 and -0.0 differ); other constant objects (closures) by reference. A node object
/// reached twice is written once and then referenced, so shared DAGs stay linear in size.
/// </summary>
internal sealed class StructuralKey : IEquatable<StructuralKey>
{
    private readonly string _shape;
    private readonly object[] _atoms;
    private readonly int _hash;

    private StructuralKey(string shape, object[] atoms)
    {
        _shape = shape;
        _atoms = atoms;
        var hash = new HashCode();
        hash.Add(shape, StringComparer.Ordinal);
        foreach (var atom in atoms) hash.Add(AtomHash(atom));
        _hash = hash.ToHashCode();
    }

    public static StructuralKey Of(LambdaExpression ir)
    {
        var writer = new Writer();
        writer.Visit(ir);
        return new StructuralKey(writer.Shape.ToString(), [.. writer.Atoms]);
    }

    public bool Equals(StructuralKey? other)
    {
        if (other is null || other._hash != _hash || other._atoms.Length != _atoms.Length || !string.Equals(other._shape, _shape, StringComparison.Ordinal)) return false;
        for (int a = 0; a < _atoms.Length; a++)
        {
            if (!AtomEquals(_atoms[a], other._atoms[a])) return false;
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as StructuralKey);

    public override int GetHashCode() => _hash;

    public override string ToString() => _shape;

    private static bool AtomEquals(object a, object b) => a switch
    {
        Type or MemberInfo => a.Equals(b),
        string text => b is string other && string.Equals(text, other, StringComparison.Ordinal),
        _ => ReferenceEquals(a, b),
    };

    private static int AtomHash(object atom) => atom is Type or MemberInfo or string ? atom.GetHashCode() : RuntimeHelpers.GetHashCode(atom);

    private sealed class Writer : ExpressionVisitor
    {
        private readonly Dictionary<Expression, int> _nodes = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<object, int> _names = new(ReferenceEqualityComparer.Instance);

        public StringBuilder Shape { get; } = new();

        public List<object> Atoms { get; } = [];

        public override Expression? Visit(Expression? node)
        {
            if (node is null)
            {
                Shape.Append('_');
                return null;
            }

            if (node is not ParameterExpression && _nodes.TryGetValue(node, out var seen))
            {
                Shape.Append('#').Append(seen).Append(' ');
                return node;
            }

            _nodes[node] = _nodes.Count;
            Shape.Append('(').Append((int)node.NodeType).Append(':');
            Atom(node.Type);
            Describe(node);
            var result = node.NodeType == ExpressionType.Extension ? Visit(node.ReduceAndCheck()) : base.Visit(node);
            Shape.Append(')');
            return result;
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            Shape.Append('p').Append(Name(node)).Append(node.IsByRef ? "&" : "");
            return node;
        }

        protected override Expression VisitConstant(ConstantExpression node)
        {
            switch (node.Value)
            {
                case null: Shape.Append("null"); break;
                case double d: Shape.Append(BitConverter.DoubleToInt64Bits(d).ToString(CultureInfo.InvariantCulture)); break;
                case float f: Shape.Append(BitConverter.SingleToInt32Bits(f).ToString(CultureInfo.InvariantCulture)); break;
                case Half h: Shape.Append(BitConverter.HalfToInt16Bits(h).ToString(CultureInfo.InvariantCulture)); break;
                case IFormattable value when node.Value.GetType().IsPrimitive || node.Value is decimal or DateTime or TimeSpan or DateOnly or Enum:
                    Shape.Append(value.ToString(null, CultureInfo.InvariantCulture)).Append(value is DateTime dt ? $"k{(int)dt.Kind}" : "");
                    break;
                case bool b: Shape.Append(b ? "true" : "false"); break;
                case char c: Shape.Append((int)c); break;
                case Type or MemberInfo or string: Atom(node.Value); break;
                default: Atom(node.Value); break;
            }

            return node;
        }

        protected override SwitchCase VisitSwitchCase(SwitchCase node)
        {
            Shape.Append("case ");
            return base.VisitSwitchCase(node);
        }

        protected override CatchBlock VisitCatchBlock(CatchBlock node)
        {
            Shape.Append("catch ");
            Atom(node.Test);
            return base.VisitCatchBlock(node);
        }

        protected override LabelTarget? VisitLabelTarget(LabelTarget? node)
        {
            if (node is not null) Shape.Append('l').Append(Name(node)).Append(' ');
            return node;
        }

        protected override MemberBinding VisitMemberBinding(MemberBinding node)
        {
            Shape.Append("bind").Append((int)node.BindingType);
            Atom(node.Member);
            return base.VisitMemberBinding(node);
        }

        protected override ElementInit VisitElementInit(ElementInit node)
        {
            Atom(node.AddMethod);
            return base.VisitElementInit(node);
        }

        protected override Expression VisitBlock(BlockExpression node)
        {
            Shape.Append("vars");
            foreach (var variable in node.Variables) VisitParameter(variable);
            return base.VisitBlock(node);
        }

        private void Describe(Expression node)
        {
            switch (node)
            {
                case BinaryExpression binary:
                    Atom(binary.Method);
                    Shape.Append(binary.IsLiftedToNull ? "L" : "");
                    break;
                case UnaryExpression unary: Atom(unary.Method); break;
                case MethodCallExpression call: Atom(call.Method); break;
                case MemberExpression member: Atom(member.Member); break;
                case NewExpression create: Atom(create.Constructor); break;
                case TypeBinaryExpression test: Atom(test.TypeOperand); break;
                case IndexExpression index: Atom(index.Indexer); break;
                case SwitchExpression @switch: Atom(@switch.Comparison); break;
                case GotoExpression jump: Shape.Append('g').Append((int)jump.Kind); break;
                case LambdaExpression lambda: Shape.Append(lambda.TailCall ? "t" : ""); break;
                case DynamicExpression dynamic: Atom(dynamic.Binder); break;
            }
        }

        private void Atom(object? atom)
        {
            if (atom is null)
            {
                Shape.Append("~");
                return;
            }

            Shape.Append('$').Append(Atoms.Count).Append(' ');
            Atoms.Add(atom);
        }

        private int Name(object variableOrLabel)
        {
            if (!_names.TryGetValue(variableOrLabel, out var name))
            {
                name = _names.Count;
                _names[variableOrLabel] = name;
            }

            return name;
        }
    }
}
