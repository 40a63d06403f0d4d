using BenchmarkDotNet.Attributes;
using Dsl.Runtime;

namespace Dsl.Bench.Runtime;

/// <summary>
/// One row, no Arrow: the reference resolver through the typed scalar-compiled IR (the 1 µs target), through the
/// boxed <see cref="CompiledFunction.Invoke"/>, the original C# method for reference, and a 20-feature plan, boxed
/// (<see cref="FeaturePlan.Invoke(object?[])"/>) and typed (<see cref="FeatureRowEvaluator{TInput, TOutput}"/>).
/// </summary>
[MemoryDiagnoser]
[InProcess] // the project file (Bench.csproj) is not named after its assembly (Dsl.Bench), which BenchmarkDotNet's out-of-process toolchain needs
public class OnlineLatencyBenchmarks
{
    private Func<double, double?, double?, bool, double> _typed = null!;
    private Func<double, double?, double?, bool, double> _original = null!;
    private CompiledFunction _total = null!;
    private FeaturePlan _plan = null!;
    private object?[] _totalArguments = null!;
    private object?[] _planInputs = null!;
    private FeatureRowEvaluator<PlanInputs, PlanFeatures> _typedPlan = null!;
    private PlanInputs _typedInputs;
    private PlanFeatures _typedFeatures;
    private double _subtotal = 1234.5;
    private double? _discount = 30;
    private double? _taxRate = 0.2;
    private bool _taxable = true;

    [GlobalSetup]
    public void Setup()
    {
        _original = ReferenceFeatures.Total;
        _total = FunctionCompiler.Compile(_original);
        if (_total.Mode != ExecutionMode.Compiled) throw new InvalidOperationException($"Total fell back: {_total.FallbackReason}");
        _typed = _total.AsDelegate<Func<double, double?, double?, bool, double>>();
        _totalArguments = [_subtotal, _discount, _taxRate, _taxable];
        _plan = FeaturePlan.Create(ReferenceFeatures.TwentyFeatures());
        var values = new Dictionary<string, object?> { ["subtotal"] = _subtotal, ["discount"] = _discount, ["tax_rate"] = _taxRate, ["taxable"] = _taxable, ["amount"] = 321.0 };
        _planInputs = _plan.Inputs.Select(i => values[i.Name]).ToArray();
        _typedPlan = _plan.CreateRowEvaluator<PlanInputs, PlanFeatures>();
        _typedInputs = new PlanInputs { Subtotal = _subtotal, Discount = _discount, tax_rate = _taxRate, Taxable = _taxable, Amount = 321.0 };
    }

    [Benchmark(Baseline = true, Description = "Total: the C# method")]
    public double Original() => _original(_subtotal, _discount, _taxRate, _taxable);

    [Benchmark(Description = "Total: AsDelegate (scalar-compiled IR)")]
    public double Typed() => _typed(_subtotal, _discount, _taxRate, _taxable);

    [Benchmark(Description = "Total: Invoke(object[])")]
    public object? Boxed() => _total.Invoke(_totalArguments);

    [Benchmark(Description = "20 features: FeaturePlan.Invoke(object[])")]
    public FeatureRow TwentyFeatures() => _plan.Invoke(_planInputs);

    [Benchmark(Description = "20 features: FeatureRowEvaluator (typed, no boxing)")]
    public double TwentyFeaturesTyped()
    {
        _typedPlan.Evaluate(_typedInputs, ref _typedFeatures);
        return _typedFeatures.Score;
    }

    /// <summary>The 20-feature plan's inputs (members match input names ignoring case; <c>tax_rate</c> is the column's name).</summary>
    public struct PlanInputs
    {
        public double Subtotal;
        public double? Discount;
        public double? tax_rate;
        public bool Taxable;
        public double Amount;
    }

    /// <summary>The 20-feature plan's outputs, one member per feature.</summary>
    public struct PlanFeatures
    {
        public double Total, Net, DiscountOrZero, TaxRateOrDefault, LogAmount, SqrtAmount, AmountOverSubtotal, RoundedTotal, NetOrSubtotal, ClampedNet, Score, Heavy;
        public double? DiscountShare;
        public bool IsExpensive, HasDiscount, Tax, BigAmount, TaxableAndExpensive, DiscountedTaxable;
        public long TotalBucket;
    }
}
