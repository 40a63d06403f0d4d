using System.Diagnostics;
using System.Reflection;
using Apache.Arrow;
using Dsl.ArrowExtensions.Ipc;
using Dsl.ArrowExtensions.Memory;
using Dsl.Codegen;
using Dsl.Codegen.Compilation;
using Dsl.Runtime;
using Dsl.Runtime.Execution;

namespace Dsl.Bench.SideBySide;

/// <summary>
/// <c>dsl-bench w1-layout --data DIR [--rounds R] [--offsets 0,504,...]</c>: why W1 compiled runs at one speed in one
/// process and ~1.5× slower in another (docs/performance.md). Three in-process experiments over the first batch, each
/// alternating its cases round by round and printing the fastest evaluation of each (a busy host only adds time):
/// <list type="number">
/// <item>the input columns copied to chosen offsets within a 4 KiB page (outputs of 4 MiB and more are always at
/// offset 0 of a 2 MiB page), and the mapped file's own batch — 4 KiB aliasing between the output stores and the
/// input loads would make the offsets just below the output's slow;</item>
/// <item>the input bitmaps placed just below, at and above the output validity (which the kernel updates a byte at a
/// time, from an allocation whose page offset differs per process);</item>
/// <item>the same kernel compiled several times, each copy its own dynamic method at its own code address.</item>
/// </list>
/// </summary>
internal static class W1Layout
{
    public static int Run(string[] args)
    {
        var data = "bench/out/data-10000000-42";
        var rounds = 15;
        int[] offsets = [0, 504, 1024, 2048, 3072, 3584, 3840, 3968, 4032, 4088];
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--data": data = args[i + 1]; break;
                case "--rounds": rounds = int.Parse(args[i + 1]); break;
                case "--offsets": offsets = args[i + 1].Split(',').Select(int.Parse).ToArray(); break;
                default: throw new ArgumentException($"w1-layout: unknown option {args[i]}");
            }
        }

        using var reader = MappedArrowReader.Open(Path.Combine(data, "bench.arrow"));
        using var first = reader.ReadNextRecordBatch() ?? throw new InvalidOperationException("no batch");
        var (_, function, bindings) = DslEngines.Workloads()[0];
        var options = new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = 1, Bindings = bindings };
        if (LayoutTrace.Enabled) Console.Error.WriteLine(function.KernelText);
        var blocks = new List<NativeBlock>();
        try
        {
            var placed = offsets.Select(offset => PlaceAt(first, offset, offset, blocks)).Append(first).ToArray();
            Print(BestOf(placed.Select(b => Evaluation(function, b, options)).ToArray(), rounds),
                k => k < offsets.Length ? $"inputs at page+{offsets[k]}" : "inputs in the mapped file", first.Length);

            var validity = OutputValidityPageOffset(function, first, options);
            int[] deltas = [-96, -32, -8, 0, 8, 32, 96, 1024, 2048];
            var bitmaps = deltas.Select(d => PlaceAt(first, 504, (int)((validity + d + 4096) % 4096), blocks)).ToArray();
            Print(BestOf(bitmaps.Select(b => Evaluation(function, b, options)).ToArray(), rounds),
                k => $"input bitmaps at the output validity's page offset (page+{validity}) {deltas[k]:+#;-#;+0}", first.Length);

            var inputs = ColumnBinder.Bind(function.Parameters, bindings, first);
            var types = inputs.Select(i => i.Data.DataType).ToArray();
            var copies = Enumerable.Range(0, 8).Select(_ => KernelCompiler.CompileUncached(function.Ir!, types)).ToArray();
            Print(BestOf(copies.Select(kernel => KernelRun(kernel, inputs, first.Length)).ToArray(), rounds),
                k => $"kernel copy {k}, code {CodeAddress(copies[k])}", first.Length);
        }
        finally
        {
            foreach (var block in blocks) block.Release();
        }
        return 0;
    }

    /// <summary>Runs the cases in turn, five times each per round, and keeps each one's fastest time in ms.</summary>
    private static double[] BestOf(Action[] cases, int rounds)
    {
        var best = cases.Select(_ => double.MaxValue).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < cases.Length; k++)
            {
                for (var rep = 0; rep < 5; rep++)
                {
                    var start = Stopwatch.GetTimestamp();
                    cases[k]();
                    best[k] = Math.Min(best[k], Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
        }
        return best;
    }

    private static void Print(double[] best, Func<int, string> label, int rows)
    {
        for (var k = 0; k < best.Length; k++) Console.WriteLine($"{label(k)}: best {best[k]:F3} ms per {rows} rows");
    }

    private static Action Evaluation(CompiledFunction function, RecordBatch batch, EvaluateOptions options) => () =>
    {
        using var result = function.Evaluate(batch, options);
    };

    /// <summary>One kernel over the bound inputs, as <c>KernelRunner</c> runs it on one thread.</summary>
    private static Action KernelRun(IKernel kernel, IArrowArray[] inputs, int rows) => () =>
    {
        using var output = OutputColumn.Create(kernel.OutputType, rows, everyRowWritten: true);
        using var frame = new KernelFrame(inputs, output, new RowErrorSink());
        MorselScheduler.Run(rows, MorselScheduler.DefaultMorselRows, 1, (start, length) => kernel.Run(frame, start, length));
    };

    /// <summary>Where the output validity lands within its page (allocations of this size are reused, so usually the same place).</summary>
    private static unsafe long OutputValidityPageOffset(CompiledFunction function, RecordBatch batch, EvaluateOptions options)
    {
        using var probe = function.Evaluate(batch, options);
        using var pin = probe.Values.Data.Buffers[0].Memory.Pin();
        return (long)pin.Pointer & 4095;
    }

    /// <summary>
    /// The W1 columns of <paramref name="batch"/>, each buffer copied into a fresh 2 MiB-aligned block: values at
    /// <paramref name="offset"/> bytes, bitmaps (validity, the bool column's values) at <paramref name="bitmapOffset"/>.
    /// </summary>
    private static RecordBatch PlaceAt(RecordBatch batch, int offset, int bitmapOffset, List<NativeBlock> blocks)
    {
        string[] names = ["subtotal", "discount", "tax_rate", "taxable"];
        var arrays = names.Select(name =>
        {
            var source = batch.Column(batch.Schema.GetFieldIndex(name)).Data;
            var buffers = source.Buffers.Select(buffer =>
            {
                if (buffer.Memory.IsEmpty) return buffer;
                var at = buffer.Length < source.Length ? bitmapOffset : offset;
                var block = NativeBlock.Allocate(buffer.Length + at + 8192);
                blocks.Add(block);
                var target = block.Memory.Slice(at, buffer.Length);
                buffer.Span.CopyTo(target.Span);
                return new ArrowBuffer(target);
            }).ToArray();
            return ArrowArrayFactory.BuildArray(new ArrayData(source.DataType, source.Length, source.NullCount, source.Offset, buffers));
        }).ToArray();
        return new RecordBatch(new Schema(names.Select(n => batch.Schema.GetFieldByName(n)), null), arrays, batch.Length);
    }

    /// <summary>
    /// Where a kernel's machine code starts: the entry point of its dynamic method (through the runtime's internal
    /// <c>GetMethodDescriptor</c>), followed through an indirect jump stub if there is one.
    /// </summary>
    private static unsafe string CodeAddress(IKernel kernel)
    {
        var body = kernel.GetType().GetFields(BindingFlags.NonPublic | BindingFlags.Instance)
            .Select(f => f.GetValue(kernel)).OfType<Delegate>().FirstOrDefault();
        var descriptor = body?.Method.GetType().GetMethod("GetMethodDescriptor", BindingFlags.NonPublic | BindingFlags.Instance);
        if (descriptor?.Invoke(body!.Method, null) is not RuntimeMethodHandle handle) return "(unknown)";
        var code = (byte*)handle.GetFunctionPointer();
        if (code[0] == 0xFF && code[1] == 0x25) code = *(byte**)(code + 6 + *(int*)(code + 2));
        return $"0x{(long)code:x} (mod 64: {(long)code & 63}, page+{(long)code & 4095})";
    }
}
