using BenchmarkDotNet.Attributes;
using Dsl.Codegen;
using Dsl.Codegen.Compilation;

namespace Dsl.Bench.Codegen;

/// <summary>
/// The reference Total resolver (C#, lowered from its CIL: <see cref="LoweredTotal"/>) over 10,000,000 rows,
/// single thread: the generated kernels (Vector256,
/// Vector512, row loop, and the delegate row loop the fallback executor uses) against a hand-written Vector256
/// kernel over the same Arrow buffers (the baseline). Every kernel rewrites the same pre-allocated output.
/// </summary>
[Config(typeof(KernelBenchConfig))]
public class TotalKernelBenchmarks
{
    private const int Rows = 10_000_000;
    private ReferenceData _data = null!;
    private OutputColumn _output = null!;
    private KernelFrame _frame = null!;
    private IKernel _vector256 = null!;
    private IKernel _vector512 = null!;
    private IKernel _rowLoop = null!;
    private IKernel _delegateRowLoop = null!;
    private nint[] _addresses = [];

    [GlobalSetup]
    public void Setup()
    {
        _data = new ReferenceData(Rows);
        var types = ReferenceData.Types;
        var ir = LoweredTotal.Ir();
        _vector256 = KernelCompiler.Compile(ir, types, new KernelOptions { VectorBits = 256 });
        _vector512 = KernelCompiler.Compile(ir, types, new KernelOptions { VectorBits = 512 });
        _rowLoop = KernelCompiler.Compile(ir, types, new KernelOptions { Vectorize = false });
        _delegateRowLoop = KernelCompiler.CompileDelegate(LoweredTotal.Delegate, types);
        if (!_vector256.IsVectorized || !_vector512.IsVectorized) throw new InvalidOperationException("The reference example did not vectorize.");
        _output = OutputColumn.Create(_vector256.OutputType, Rows);
        _frame = new KernelFrame(_data.Columns, _output, new RowErrorSink());
        var values = (Dsl.Codegen.Columns.FixedWidthOutput)_output;
        // The hand-written kernel reads the addresses the frame pinned: the same buffers the generated kernels read.
        var views = _frame.Views;
        _addresses =
        [
            views[0].Values, views[1].Values, views[1].Validity, views[2].Values, views[2].Validity, views[3].Values,
            values.Values, values.Validity,
        ];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _frame.Dispose();
        _output.Dispose();
        _data.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void HandWrittenVector256() =>
        HandWrittenTotal.Run(_addresses[0], _addresses[1], _addresses[2], _addresses[3], _addresses[4], _addresses[5], _addresses[6], _addresses[7], Rows);

    [Benchmark]
    public void CompiledVector256() => _vector256.Run(_frame, 0, Rows);

    [Benchmark]
    public void CompiledVector512() => _vector512.Run(_frame, 0, Rows);

    [Benchmark]
    public void CompiledRowLoop() => _rowLoop.Run(_frame, 0, Rows);

    [Benchmark]
    public void DelegateRowLoop() => _delegateRowLoop.Run(_frame, 0, Rows);
}
