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
/// validity bits. Blocks run in groups of 64 rows from a multiple of 64 (<see cref="BitWords"/>): each input bitmap
/// is read once per group and each output bitmap written once. A block with a failing lane, and the rows outside
/// whole groups, run through the scalar row-loop kernel, which evaluates exactly and records each error as the
/// row-by-row path would. Per range, a validity bitmap whose bits are all set is dropped (the no-null fast path).
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
        var lastGroup = Expression.Variable(typeof(long), "lastGroup");
        var columns = inputs.Select((layout, k) => ColumnLocals.Declare(layout, $"{ir.Parameters[k].Name ?? "arg" + k}Column")).ToArray();
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

        var output = new OutputLocals(outputLayout, ir.ReturnType);
        var bitWords = new BitWords(output, outputLayout.Encoding == ColumnEncoding.Bits, shape.Lanes);

        // A block's lane mask of a bitmap: from the bitmap's word for the group, at the block's position in it.
        Expression LaneMask(ParameterExpression bitmap, ParameterExpression offset, string name) =>
            Expression.Call(typeof(VectorAccess), $"Mask{shape.Bits}x{shape.LaneBytes * 8}", null, bitWords.Read(bitmap, offset, name), bitWords.Shift);

        // Rows with a null bound to a non-nullable value-type parameter are null without evaluation.
        Expression? present = null;
        var presentWords = new List<ParameterExpression>();
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
                // Each parameter's own mask is for a read that can fail; the rows present are one mask of the AND of the words.
                columnValid = Local(LaneMask(column.Validity, column.ValidityOffset, parameter.Name + "Validity"), $"{parameter.Name}Present");
                presentWords.Add(bitWords.Read(column.Validity, column.ValidityOffset, parameter.Name + "Validity"));
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

            columnValid ??= Nullable.GetUnderlyingType(parameter.Type) is null ? null : Local(LaneMask(column.Validity, column.ValidityOffset, parameter.Name + "Validity"), parameter.Name + "Valid");
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
                ? LaneMask(column.Values, column.ValuesBitOffset, parameter.Name + "Bits")
                : VectorTypes.IsSmallInteger(storage)
                    ? Expression.Call(typeof(VectorAccess), $"LoadInt{shape.BitsOf(typeof(int))}", [storage], column.Values, i)
                    : Expression.Call(typeof(VectorAccess), $"Load{shape.BitsOf(storage)}", [storage], column.Values, i);
            var loaded = Local(values, parameter.Name + "Lanes");
            parameters[parameter] = new VectorValue(parameter.Type, loaded, Nullable.GetUnderlyingType(parameter.Type) is null ? null : columnValid);
        }

        if (presentWords.Count > 0)
        {
            var presentWord = presentWords.Count == 1 ? presentWords[0] : bitWords.Derive(presentWords.Skip(1).Aggregate((Expression)presentWords[0], Expression.And), "present");
            present = Local(Expression.Call(typeof(VectorAccess), $"Mask{shape.Bits}x{shape.LaneBytes * 8}", null, presentWord, bitWords.Shift), "present");
        }

        var emitter = new VectorEmitter(shape, parameters, facts.Assigned, fastMath);
        var result = emitter.EmitBody(body);
        blockVariables.AddRange(emitter.Variables);
        blockStatements.AddRange(emitter.Statements);

        var presentMask = present ?? shape.AllLanes;
        var validMask = result.Valid is null ? presentMask : Local(shape.Call("BitwiseAnd", shape.MaskElement, presentMask, result.Valid), "resultValid");
        var errors = readErrors is null ? result.Errors : result.Errors is null ? readErrors : Local(shape.Call("BitwiseOr", shape.MaskElement, readErrors, result.Errors), "errors");
        var store = new List<Expression>();
        // When a row is valid exactly when its non-nullable parameters are present, the group's validity word is the
        // AND of their words: no per-block validity bits to gather, and boolean values are masked once per group.
        var validityFromWords = result.Valid is null;
        if (validityFromWords) bitWords.ValidityFrom(presentWords);
        if (bitWords.Values is { } valuesWord)
        {
            var valueLanes = validityFromWords ? result.Values : shape.Call("BitwiseAnd", shape.MaskElement, result.Values, validMask);
            store.Add(bitWords.Add(valuesWord, LaneBits(shape.Call("ExtractMostSignificantBits", shape.MaskElement, valueLanes))));
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

        if (!validityFromWords) store.Add(bitWords.Add(bitWords.Validity, LaneBits(shape.Call("ExtractMostSignificantBits", shape.MaskElement, validMask))));
        if (errors is not null)
        {
            // A block with a failing lane is stored like any other, and the scalar kernel rewrites its rows after the
            // group's words are written (RescueFailingBlocks).
            var failing = shape.Call("ExtractMostSignificantBits", shape.MaskElement, shape.Call("BitwiseAnd", shape.MaskElement, errors, presentMask));
            store.Add(bitWords.Add(bitWords.Failing, LaneBits(failing)));
        }

        blockStatements.AddRange(store);
        blockStatements.Add(Expression.AddAssign(i, Expression.Constant((long)shape.Lanes)));
        blockStatements.Add(Expression.AddAssign(bitWords.Shift, Expression.Constant(shape.Lanes)));

        // Whole groups of 64 rows from a multiple of 64; in each, the blocks, then the group's output words, then the rescue.
        var blocksDone = Expression.Label("blocksDone");
        var groupDone = Expression.Label("groupDone");
        var blocks = Expression.Loop(
            Expression.Block(
                Expression.Block(typeof(void), blockVariables, blockStatements),
                Expression.IfThen(Expression.GreaterThanOrEqual(bitWords.Shift, Expression.Constant(BitWords.GroupRows)), Expression.Break(groupDone))),
            groupDone);
        var group = new List<Expression> { bitWords.Start(i), blocks, bitWords.Flush() };
        if (errors is not null) group.Add(RescueFailingBlocks(bitWords, shape.Lanes, scalarKernel, frame));
        var loop = Expression.Loop(
            Expression.IfThenElse(Expression.LessThanOrEqual(i, lastGroup), Expression.Block(group), Expression.Break(blocksDone)),
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
        // Rows before the first multiple of 64 (none for a morsel, which starts there) and after the last whole group run
        // through the scalar kernel.
        var first = Expression.Convert(start, typeof(long));
        var last = Expression.Convert(end, typeof(long));
        statements.Add(Expression.Assign(i, Expression.Condition(Expression.LessThan(last, AlignUp(first)), last, AlignUp(first))));
        statements.Add(Expression.IfThen(Expression.LessThan(first, i), Expression.Invoke(scalarKernel, frame, start, Expression.Convert(i, typeof(int)))));
        statements.Add(Expression.Assign(lastGroup, Expression.Subtract(last, Expression.Constant((long)BitWords.GroupRows))));
        statements.Add(loop);
        statements.Add(Expression.IfThen(Expression.LessThan(i, Expression.Convert(end, typeof(long))),
            Expression.Invoke(scalarKernel, frame, Expression.Convert(i, typeof(int)), end)));
        var variables = columns.SelectMany(c => c.Variables()).Concat(output.Variables()).Concat(bitWords.Variables).Concat([i, lastGroup]);
        return Expression.Lambda<KernelBody>(Expression.Block(typeof(void), variables, statements), $"VectorKernel{shape.Bits}", [frame, start, end]);
    }

    /// <summary>
    /// Runs the scalar kernel over each block of the group with a failing lane: it evaluates the block's rows exactly,
    /// records their errors as the row-by-row path does, and rewrites their values and validity bits.
    /// </summary>
    private static Expression RescueFailingBlocks(BitWords bitWords, int lanes, Expression scalarKernel, ParameterExpression frame)
    {
        var at = Expression.Variable(typeof(int), "rescueShift");
        var done = Expression.Label("rescued");
        var blockStart = Expression.Add(bitWords.GroupStart, Expression.Convert(at, typeof(long)));
        var failingBlock = Expression.NotEqual(
            Expression.And(Expression.RightShift(bitWords.Failing, at), Expression.Constant(bitWords.LaneBits)), Expression.Constant(0ul));
        var rescue = Expression.Invoke(scalarKernel, frame, Expression.Convert(blockStart, typeof(int)),
            Expression.Convert(Expression.Add(blockStart, Expression.Constant((long)lanes)), typeof(int)));
        var eachBlock = Expression.Loop(
            Expression.IfThenElse(Expression.LessThan(at, Expression.Constant(BitWords.GroupRows)),
                Expression.Block(Expression.IfThen(failingBlock, rescue), Expression.AddAssign(at, Expression.Constant(lanes))),
                Expression.Break(done)),
            done);
        return Expression.IfThen(Expression.NotEqual(bitWords.Failing, Expression.Constant(0ul)),
            Expression.Block(typeof(void), [at], Expression.Assign(at, Expression.Constant(0)), eachBlock));
    }

    /// <summary><paramref name="row"/> rounded up to a multiple of the group size.</summary>
    private static Expression AlignUp(Expression row) =>
        Expression.And(Expression.Add(row, Expression.Constant((long)BitWords.GroupRows - 1)), Expression.Constant(~(long)(BitWords.GroupRows - 1)));

    /// <summary>ExtractMostSignificantBits gives uint (256-bit) or ulong (512-bit); at most 16 lanes fit a uint.</summary>
    private static Expression LaneBits(Expression bits) => bits.Type == typeof(uint) ? bits : Expression.Convert(bits, typeof(uint));

    private static IEnumerable<Type> NodeTypes(LambdaExpression ir) =>
        IrFacts.Of(ExtensionReducer.Reduce(ir.Body)).Types.Concat(ir.Parameters.Select(p => p.Type)).Append(ir.ReturnType);
}
