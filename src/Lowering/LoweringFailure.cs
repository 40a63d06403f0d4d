using System.Reflection;

namespace Dsl.Lowering;

/// <summary>
/// Thrown inside lowering when a construct cannot be lowered exactly; <see cref="Lowerer"/> turns it into a
/// <see cref="FallbackReason"/> with the source location of <see cref="Method"/> at <see cref="IlOffset"/>.
/// It never escapes <see cref="Lowerer"/>.
/// </summary>
internal sealed class LoweringFailure : Exception
{
    public LoweringFailure(string construct, string message, MethodBase? method = null, int? ilOffset = null)
        : base(message)
    {
        Construct = construct;
        Method = method;
        IlOffset = ilOffset;
    }

    /// <summary>A short stable category: <c>virtual-call</c>, <c>loop</c>, <c>gas</c>, ...</summary>
    public string Construct { get; }

    /// <summary>The method whose IL holds the construct (an inlined callee, possibly), when known.</summary>
    public MethodBase? Method { get; }

    public int? IlOffset { get; }
}
