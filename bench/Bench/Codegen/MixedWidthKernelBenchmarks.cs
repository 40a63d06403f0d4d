using System.Linq.Expressions;
using BenchmarkDotNet.Attributes;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Codegen;
using Dsl.Codegen.Compilation;

namespace Dsl.Bench.Codegen;

/// <summary>
/// A feature mixing lane widths over 10,000,000 rows, single thread: an int32 quantity times a double price
/// with a nullable int32 discount percentage (~30% null). The generated Vector256 and Vector512 kernels (4 and
/// 8 rows per block, int columns loaded into half-width vectors and widened to double) against the generated
/// row loop (the baseline) and the delegate row loop the fallback executor uses.
/// </summary>
[Config(typeof(KernelBenchConfig))]
public class MixedWidthKernelBenchmarks
{
    private const int Rows = 10_000_000;

    private static readonly Expression<Func<int, double, int?, double>> s_lineTotal =
        (quantity, price, discount) => quantity * price * (1 - (discount ?? 0) / 100.0);

    /// <summary>The same feature as a method (what the fallback executor calls per row).</summary>
    private static double LineTotal(int quantity, double price, int? discount) => quantity * price * (1 - (discount ?? 0) / 100.0);

    private static readonly IArrowType[] s_types = [Int32Type.Default, DoubleType.Default, Int32Type.Default];

    private IArrowArray[] _columns = [];
    private OutputColumn _output = null!;
    private KernelFrame _frame = null!;
    private IKernel _vector256 = null!;
    private IKernel _vector512 = null!;
    private IKernel _rowLoop = null!;
    private IKernel _delegateRowLoop = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var quantity = new int[Rows];
        var price = new double[Rows];
        var discount = new int[Rows];
        var discountValid = new byte[(Rows + 7) / 8];
        for (int i = 0; i < Rows; i++)
        {
            quantity[i] = random.Next(1, 100);
            price[i] = Math.Round(random.NextDouble() * 50_000) / 100;
            if (random.NextDouble() >= 0.3)
            {
                discount[i] = random.Next(0, 50);
                discountValid[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        _columns =
        [
            ReferenceData.Build<int>(Int32Type.Default, Rows, null, quantity),
            ReferenceData.Build<double>(DoubleType.Default, Rows, null, price),
            ReferenceData.Build<int>(Int32Type.Default, Rows, discountValid, discount),
        ];
        _vector256 = KernelCompiler.Compile(s_lineTotal, s_types, new KernelOptions { VectorBits = 256 });
        _vector512 = KernelCompiler.Compile(s_lineTotal, s_types, new KernelOptions { VectorBits = 512 });
        _rowLoop = KernelCompiler.Compile(s_lineTotal, s_types, new KernelOptions { Vectorize = false });
        _delegateRowLoop = KernelCompiler.CompileDelegate((Func<int, double, int?, double>)LineTotal, s_types);
        if (!_vector256.IsVectorized || !_vector512.IsVectorized) throw new InvalidOperationException("The mixed-width feature did not vectorize.");
        _output = OutputColumn.Create(_vector256.OutputType, Rows);
        _frame = new KernelFrame(_columns, _output, new RowErrorSink());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _frame.Dispose();
        _output.Dispose();
        foreach (var column in _columns) column.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void CompiledRowLoop() => _rowLoop.Run(_frame, 0, Rows);

    [Benchmark]
    public void CompiledVector256() => _vector256.Run(_frame, 0, Rows);

    [Benchmark]
    public void CompiledVector512() => _vector512.Run(_frame, 0, Rows);

    [Benchmark]
    public void DelegateRowLoop() => _delegateRowLoop.Run(_frame, 0, Rows);
}
