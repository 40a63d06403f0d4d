using System.Reflection;

namespace Dsl.Lowering.Cil;

/// <summary>
/// A method being interpreted (the lowered function or an inlined callee): its decoded body, block graph,
/// slot types and generic context. Built once per method; construction fails for bodies the interpreter
/// never handles (no IL, exception handlers other than a foreach's disposal of its enumerator).
/// </summary>
internal sealed class MethodFrame
{
    private MethodFrame(MethodBase method, BlockGraph graph, Type[] argumentTypes, Type[] localTypes, Type returnType)
    {
        Method = method;
        Graph = graph;
        ArgumentTypes = argumentTypes;
        LocalTypes = localTypes;
        ReturnType = returnType;
    }

    public MethodBase Method { get; }

    public BlockGraph Graph { get; }

    /// <summary>Argument slot types; slot 0 is <c>this</c> for instance methods.</summary>
    public Type[] ArgumentTypes { get; }

    public Type[] LocalTypes { get; }

    public Type ReturnType { get; }

    public MethodFrameInfo At(int offset) => new(Method, offset);

    public static MethodFrame Create(MethodBase method)
    {
        var body = method.GetMethodBody();
        var il = body?.GetILAsByteArray();
        if (body is null || il is null)
            throw new LoweringFailure("no-il", $"{Describe(method)} has no IL body to read (abstract, extern, or dynamically emitted)", method);
        var localTypes = body.LocalVariables.Select(l => l.LocalType).ToArray();
        var instructions = IlReader.Read(method, il);
        foreach (var clause in body.ExceptionHandlingClauses)
        {
            if (!EnumeratorDisposal.IsDisposalFinally(method, instructions, clause, localTypes))
                throw new LoweringFailure("try-catch", $"{Describe(method)} uses try/catch/finally (also from using or lock; only the finally of a foreach over a collection is understood)", method, clause.TryOffset);
        }

        var parameters = method.GetParameters();
        // A local function receives its caller's captured variables as a display struct by reference; nothing else may be by reference.
        if (parameters.FirstOrDefault(p => p.ParameterType.IsByRef && !CapturedVariables.IsDisplayType(p.ParameterType.GetElementType()!)) is { } byRef)
            throw new LoweringFailure("by-ref-parameter", $"parameter '{byRef.Name}' of {Describe(method)} is passed by reference", method);
        var argumentTypes = (method.IsStatic ? [] : new[] { method.DeclaringType! }).Concat(parameters.Select(p => p.ParameterType)).ToArray();
        var returnType = method is MethodInfo info ? info.ReturnType : typeof(void);
        var graph = BlockGraph.Build(method, instructions);
        return new MethodFrame(method, graph, argumentTypes, localTypes, returnType);
    }

    public static string Describe(MethodBase method) =>
        method.DeclaringType is { } type ? $"{type.Name}.{method.Name}" : method.Name;
}
