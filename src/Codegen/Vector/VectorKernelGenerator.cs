using System.Linq.Expressions;
using System.Reflection;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Scalar;

namespace Dsl.Codegen.Vector;

/// <summary>
/// Generates the vector kernel of an IR over fixed-width numeric and boolean columns: blocks of
/// <see cref="VectorShape.Lanes"/> rows (as many as the widest lane fills a vector with) load values with vector
/// loads (1- and 2-byte integers widened to int lanes) and validity bitmaps as lane masks, the
/// <see cref="VectorEmitter"/> computes the result lanes, and the block stores values (zero where null) and
/// validity bits. A block with a lane that may fail, and the tail after the last whole block, run through the
/// scalar row-loop kernel, which evaluates exactly and records each error as the row-by-row path would.
/// Per range, a validity bitmap whose bits are all set is dropped (the no-null fast path).
/// </summary>
internal static partial class VectorKernelGenerator
{
    private static readonly MethodInfo s_dropIfAllValid = typeof(VectorAccess).GetMethod(nameof(VectorAccess.DropIfAllValid))!;

    /// <summary>
    /// The processing lane size of the IR (4 or 8 bytes): its widest lane, so a block covers as many rows as
    /// its widest values fill one vector with; throws when the IR has values no lane holds.
    /// </summary>
    public static int LaneBytes(LambdaExpression ir)
    {
        int widest = 0;
        foreach (var type in NodeTypes(ir))
        {
            var element = Nullable.GetUnderlyingType(type) ?? type;
            if (element == typeof(bool) || element == typeof(void)) continue;
            if (!VectorTypes.IsLaneType(element)) throw new NotVectorizableException($"values of type {type.Name}");
            widest = Math.Max(widest, VectorTypes.SizeOf(VectorTypes.LaneOf(element)));
        }

        return widest == 0 ? 8 : widest;
    }

    public static Expression<KernelBody> Generate(LambdaExpression ir, IReadOnlyList<ColumnLayout> inputs, ColumnLayout outputLayout, VectorShape shape, KernelBody scalar, bool fastMath = false)
    {
        if (outputLayout.Temporal is not (TemporalMeaning.None or TemporalMeaning.Timestamp or TemporalMeaning.Duration) || outputLayout.Encoding is not (ColumnEncoding.FixedWidth or ColumnEncoding.Bits))
        {
            throw new NotVectorizableException($"{outputLayout} results");
        }

        var frame = Expression.Parameter(typeof(KernelFrame), "frame");
        var start = Expression.Parameter(typeof(int), "start");
        var end = Expression.Parameter(typeof(int), "end");
        var i = Expression.Variable(typeof(long), "i");
        var blockEnd = Expression.Variable(typeof(long), "blockEnd");
        var columns = inputs.Select((layout, k) => ColumnLocals.Declare(layout, $"{ir.Parameters[k].Name ?? "arg" + k}Column")).ToArray();
        var output = new OutputLocals(outputLayout, ir.ReturnType);
        var scalarKernel = Expression.Constant(scalar);

        var body = ExtensionReducer.Reduce(ir.Body);
        var facts = IrFacts.Of(body);
        var used = facts.Parameters;
        var blockStatements = new List<Expression>();
        var blockVariables = new List<ParameterExpression>();
        ParameterExpression Local(Expression value, string name)
        {
            var local = Expression.Variable(value.Type, name);
            blockVariables.Add(local);
            blockStatements.Add(Expression.Assign(local, value));
            return local;
        }

        Expression LaneMask(ParameterExpression bitmap, Expression bitIndex) =>
            Expression.Call(typeof(VectorAccess), $"Mask{shape.Bits}x{shape.LaneBytes * 8}", null, bitmap, bitIndex);

        // Rows with a null bound to a non-nullable value-type parameter are null without evaluation.
        Expression? present = null;
        Expression? readErrors = null;
        var parameters = new Dictionary<ParameterExpression, VectorValue>();
        for (int k = 0; k < columns.Length; k++)
        {
            var parameter = ir.Parameters[k];
            var column = columns[k];
            if (parameter.Type.IsArray) throw new NotVectorizableException($"array parameter {parameter.Name}");
            ParameterExpression? columnValid = null;
            if (ColumnAccess.IsNonNullableValue(parameter.Type))
            {
                columnValid = Local(LaneMask(column.Validity, Expression.Add(column.ValidityOffset, i)), $"{parameter.Name}Present");
                present = present is null ? columnValid : Local(shape.Call("BitwiseAnd", shape.MaskElement, present, columnValid), "present");
            }

            var layout = column.Layout;
            if (!used.Contains(parameter))
            {
                // A read that can fail fails the row even where the IR dropped the parameter (the delegate reads every
                // argument); the row loop reads such columns on every row.
                if (layout.Temporal != TemporalMeaning.None) throw new NotVectorizableException($"unused {layout} column {parameter.Name} (its read can fail)");
                continue;
            }

            if (layout.Temporal is not (TemporalMeaning.None or TemporalMeaning.Timestamp or TemporalMeaning.Duration) || layout.Encoding is not (ColumnEncoding.FixedWidth or ColumnEncoding.Bits))
            {
                throw new NotVectorizableException($"{layout} column {parameter.Name}");
            }

            columnValid ??= Nullable.GetUnderlyingType(parameter.Type) is null ? null : Local(LaneMask(column.Validity, Expression.Add(column.ValidityOffset, i)), parameter.Name + "Valid");
            if (layout.Temporal != TemporalMeaning.None)
            {
                var stored = Local(Expression.Call(typeof(VectorAccess), $"Load{shape.Bits}", [typeof(long)], column.Values, i), parameter.Name + "Stored");
                var ticks = Local(Ticks(shape, layout, stored, out var unreadable), parameter.Name + "Ticks");
                if (unreadable is not null)
                {
                    // The scalar read of a non-null value out of range throws on every path, whichever arm reads it.
                    var failing = Local(columnValid is null ? unreadable : shape.Call("BitwiseAnd", shape.MaskElement, unreadable, columnValid), parameter.Name + "Unreadable");
                    readErrors = readErrors is null ? failing : Local(shape.Call("BitwiseOr", shape.MaskElement, readErrors, failing), "unreadable");
                }

                parameters[parameter] = new VectorValue(parameter.Type, ticks, Nullable.GetUnderlyingType(parameter.Type) is null ? null : columnValid);
                continue;
            }

            var storage = layout.StorageType;
            Expression values = layout.Encoding == ColumnEncoding.Bits
                ? LaneMask(column.Values, Expression.Add(column.ValuesBitOffset, i))
                : VectorTypes.IsSmallInteger(storage)
                    ? Expression.Call(typeof(VectorAccess), $"LoadInt{shape.BitsOf(typeof(int))}", [storage], column.Values, i)
                    : Expression.Call(typeof(VectorAccess), $"Load{shape.BitsOf(storage)}", [storage], column.Values, i);
            var loaded = Local(values, parameter.Name + "Lanes");
            parameters[parameter] = new VectorValue(parameter.Type, loaded, Nullable.GetUnderlyingType(parameter.Type) is null ? null : columnValid);
        }

        var emitter = new VectorEmitter(shape, parameters, facts.Assigned, fastMath);
        var result = emitter.EmitBody(body);
        blockVariables.AddRange(emitter.Variables);
        blockStatements.AddRange(emitter.Statements);

        var presentMask = present ?? shape.AllLanes;
        var validMask = result.Valid is null ? presentMask : Local(shape.Call("BitwiseAnd", shape.MaskElement, presentMask, result.Valid), "resultValid");
        var errors = readErrors is null ? result.Errors : result.Errors is null ? readErrors : Local(shape.Call("BitwiseOr", shape.MaskElement, readErrors, result.Errors), "errors");
        var bitWords = new BitWords(output, outputLayout.Encoding == ColumnEncoding.Bits, i, shape.Lanes);
        var store = new List<Expression>();
        if (bitWords.Values is { } valuesWord)
        {
            var bits = shape.Call("ExtractMostSignificantBits", shape.MaskElement, shape.Call("BitwiseAnd", shape.MaskElement, result.Values, validMask));
            store.Add(bitWords.Add(valuesWord, LaneBits(bits)));
        }
        else
        {
            var element = outputLayout.StorageType;
            var resultValues = result.Values;
            if (outputLayout.Temporal != TemporalMeaning.None)
            {
                resultValues = Local(Stored(shape, outputLayout, result.Values, out var unwritable), "stored");
                var failing = Local(shape.Call("BitwiseAnd", shape.MaskElement, unwritable, validMask), "unwritable");
                errors = errors is null ? failing : Local(shape.Call("BitwiseOr", shape.MaskElement, errors, failing), "errors");
            }
            else if (result.Element != element)
            {
                throw new NotVectorizableException($"a {result.Element.Name} result stored as {element.Name}");
            }

            var lane = VectorTypes.LaneOf(element);
            var zeroed = shape.Call("BitwiseAnd", lane, resultValues, shape.MaskFor(validMask, lane));
            store.Add(VectorTypes.IsSmallInteger(element)
                ? Expression.Call(typeof(VectorAccess), $"StoreInt{shape.BitsOf(lane)}", [element], output.Values, i, zeroed)
                : Expression.Call(typeof(VectorAccess), $"Store{shape.BitsOf(lane)}", [element], output.Values, i, zeroed));
        }

        store.Add(bitWords.Add(bitWords.Validity, LaneBits(shape.Call("ExtractMostSignificantBits", shape.MaskElement, validMask))));
        store.Add(bitWords.Advance());
        Expression storeOrRescue = Expression.Block(store);
        if (errors is not null)
        {
            // The scalar kernel writes the block's rows itself, so the bits gathered before it go out first.
            var failing = shape.Call("ExtractMostSignificantBits", shape.MaskElement, shape.Call("BitwiseAnd", shape.MaskElement, errors, presentMask));
            storeOrRescue = Expression.IfThenElse(Expression.NotEqual(LaneBits(failing), Expression.Constant(0u)),
                Expression.Block(
                    bitWords.Flush(),
                    Expression.Invoke(scalarKernel, frame, Expression.Convert(i, typeof(int)), Expression.Convert(Expression.Add(i, Expression.Constant((long)shape.Lanes)), typeof(int)))),
                storeOrRescue);
        }

        blockStatements.Add(storeOrRescue);
        blockStatements.Add(Expression.AddAssign(i, Expression.Constant((long)shape.Lanes)));
        blockStatements.Add(bitWords.FlushWhenFull());

        var blocksDone = Expression.Label("blocksDone");
        var loop = Expression.Loop(
            Expression.IfThenElse(Expression.LessThanOrEqual(i, blockEnd), Expression.Block(typeof(void), blockVariables, blockStatements), Expression.Break(blocksDone)),
            blocksDone);

        var statements = new List<Expression>();
        var views = Expression.Property(frame, nameof(KernelFrame.Views));
        for (int k = 0; k < columns.Length; k++)
        {
            statements.AddRange(columns[k].Load(Expression.ArrayIndex(views, Expression.Constant(k))));
            statements.Add(Expression.Assign(columns[k].Validity, Expression.Call(s_dropIfAllValid, columns[k].Validity,
                Expression.Add(columns[k].ValidityOffset, Expression.Convert(start, typeof(long))), Expression.Convert(Expression.Subtract(end, start), typeof(long)))));
        }

        statements.AddRange(output.Load(Expression.Property(frame, nameof(KernelFrame.Output)), start, end));
        statements.Add(Expression.Assign(i, Expression.Convert(start, typeof(long))));
        statements.Add(Expression.Assign(blockEnd, Expression.Convert(Expression.Subtract(end, Expression.Constant(shape.Lanes)), typeof(long))));
        statements.Add(bitWords.Start());
        statements.Add(loop);
        statements.Add(bitWords.Flush());
        statements.Add(Expression.IfThen(Expression.LessThan(i, Expression.Convert(end, typeof(long))),
            Expression.Invoke(scalarKernel, frame, Expression.Convert(i, typeof(int)), end)));
        var variables = columns.SelectMany(c => c.Variables()).Concat(output.Variables()).Concat(bitWords.Variables).Concat([i, blockEnd]);
        return Expression.Lambda<KernelBody>(Expression.Block(typeof(void), variables, statements), $"VectorKernel{shape.Bits}", [frame, start, end]);
    }

    /// <summary>ExtractMostSignificantBits gives uint (256-bit) or ulong (512-bit); at most 16 lanes fit a uint.</summary>
    private static Expression LaneBits(Expression bits) => bits.Type == typeof(uint) ? bits : Expression.Convert(bits, typeof(uint));

    private static IEnumerable<Type> NodeTypes(LambdaExpression ir) =>
        IrFacts.Of(ExtensionReducer.Reduce(ir.Body)).Types.Concat(ir.Parameters.Select(p => p.Type)).Append(ir.ReturnType);
}
