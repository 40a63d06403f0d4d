using Dsl.Runtime.Execution;

namespace Dsl.Runtime;

public sealed partial class CompiledFunction
{
    /// <summary>
    /// Evaluates one row from boxed arguments, in parameter order, without building an Arrow batch.
    /// A null argument for a non-nullable value-type parameter gives null without calling the function (the
    /// batch rule); an exception the function throws for these arguments propagates unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">The count of arguments or one argument's type does not match <see cref="Parameters"/>.</exception>
    public object? Invoke(params object?[] args)
    {
        OnlineInvoker.CheckArguments(Parameters, _acceptedTypes, args);
        return _untyped.Value(args);
    }

    /// <summary>
    /// The typed online entry point: a delegate of the function's own signature (e.g.
    /// <c>Func&lt;double, double?, double?, bool, double&gt;</c>) that runs the scalar-compiled IR, or the
    /// original delegate when the function fell back. Compile it once and keep it: each call compiles anew.
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="TDelegate"/>'s signature differs from the function's.</exception>
    public TDelegate AsDelegate<TDelegate>()
        where TDelegate : Delegate =>
        _ir is null ? OnlineInvoker.Retype<TDelegate>(Original) : OnlineInvoker.CompileTyped<TDelegate>(_ir);
}
