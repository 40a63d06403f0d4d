using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Cil;
using Dsl.Lowering.Expressions;
using Dsl.Lowering.Ir;
using Dsl.Lowering.Passes;

namespace Dsl.Lowering;

/// <summary>
/// Lowers a function of one row to IR. Three entry points, one pipeline: the CIL front end (delegates and
/// methods: symbolic execution of their IL) or the expression front end (expression trees) produces a
/// body, then <see cref="LoweringPipeline"/> simplifies it and the gas limit is checked on the result.
/// Never throws for an unsupported or malformed function: the answer is a <see cref="LoweringResult"/>
/// with a <see cref="FallbackReason"/>.
/// </summary>
internal static class Lowerer
{
    /// <summary>Lowers a delegate; its target (a closure) is read at evaluation time, not a parameter.</summary>
    public static LoweringResult Lower(Delegate function, LoweringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (function.GetInvocationList().Length > 1)
            return LoweringResult.Failure(new FallbackReason("multicast", "a multicast delegate runs several functions"));
        return Lower(function.Method, function.Target, options);
    }

    /// <summary>Lowers a method; <paramref name="target"/> is the instance for an instance method (the closure).</summary>
    public static LoweringResult Lower(MethodInfo method, object? target, LoweringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        options ??= LoweringOptions.Default;
        if (options.PortablePdb is not null && options.PdbModule is null) options = options with { PdbModule = method.Module };
        try
        {
            if (method.ContainsGenericParameters)
                throw new LoweringFailure("generic", $"{MethodFrame.Describe(method)} has open generic parameters", method);
            if (!method.IsStatic && target is null)
                throw new LoweringFailure("no-target", $"{MethodFrame.Describe(method)} is an instance method and no target was given", method);
            var parameters = method.GetParameters().Select((p, i) => Expression.Parameter(p.ParameterType, p.Name ?? $"arg{i}")).ToArray();
            if (parameters.Any(p => p.IsByRef))
                throw new LoweringFailure("by-ref-parameter", $"{MethodFrame.Describe(method)} takes a parameter by reference", method);
            var ir = new IrFactory(options.GasLimit);
            var slots = method.IsStatic ? parameters : parameters.Prepend<Expression>(ir.Constant(target, method.DeclaringType!)).ToArray();
            var body = new CilInterpreter(ir).Interpret(method, slots);
            return Finish(ir, body, parameters, method.ReturnType, options);
        }
        catch (LoweringFailure failure)
        {
            return LoweringResult.Failure(Describe(failure, options));
        }
        catch (InsufficientExecutionStackException)
        {
            return LoweringResult.Failure(new FallbackReason("gas", "the function's IR is nested too deeply to lower"));
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            return LoweringResult.Failure(new FallbackReason("internal", $"lowering {MethodFrame.Describe(method)} stopped: {e.GetType().Name}: {e.Message}"));
        }
    }

    /// <summary>Lowers an expression tree (an <c>Expression&lt;Func&lt;...&gt;&gt;</c> the C# compiler built).</summary>
    public static LoweringResult Lower(LambdaExpression lambda, LoweringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lambda);
        options ??= LoweringOptions.Default;
        try
        {
            var ir = new IrFactory(options.GasLimit);
            var body = ExpressionFrontEnd.Translate(lambda, ir);
            return Finish(ir, body, lambda.Parameters, lambda.ReturnType, options);
        }
        catch (LoweringFailure failure)
        {
            return LoweringResult.Failure(Describe(failure, options));
        }
        catch (InsufficientExecutionStackException)
        {
            return LoweringResult.Failure(new FallbackReason("gas", "the function's IR is nested too deeply to lower"));
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            return LoweringResult.Failure(new FallbackReason("internal", $"lowering the expression stopped: {e.GetType().Name}: {e.Message}"));
        }
    }

    private static LoweringResult Finish(IrFactory ir, Expression body, IReadOnlyList<ParameterExpression> parameters, Type returnType, LoweringOptions options)
    {
        body = new LoweringPipeline(ir).Run(body);
        Analyses.AggregateContract.Check(body, parameters);
        if (body.Type != returnType) body = Expression.Convert(body, returnType);
        var size = IrMetrics.CountDistinctNodes(body);
        if (size > options.GasLimit)
            throw new LoweringFailure("gas", $"the IR has {size} nodes, more than the gas limit of {options.GasLimit}");
        var delegateType = Expression.GetFuncType([.. parameters.Select(p => p.Type), returnType]);
        return LoweringResult.Success(Expression.Lambda(delegateType, body, parameters));
    }

    private static FallbackReason Describe(LoweringFailure failure, LoweringOptions options)
    {
        var location = failure.Method is { } method && failure.IlOffset is { } offset ? SourceLocator.Locate(method, offset, options) : null;
        return new FallbackReason(failure.Construct, failure.Message, failure.IlOffset, location?.File, location?.Line, location?.Column);
    }
}
