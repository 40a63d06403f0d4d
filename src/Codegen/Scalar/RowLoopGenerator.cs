using System.Linq.Expressions;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;

namespace Dsl.Codegen.Scalar;

/// <summary>The compiled form of every kernel: evaluates rows [start, end) of a frame.</summary>
internal delegate void KernelBody(KernelFrame frame, int start, int end);

/// <summary>
/// Generates the row-loop kernel, which handles every IR lowering produces: per row it checks the presence of
/// values bound to non-nullable value-type parameters (a null makes the row null, the body is not evaluated),
/// reads the used parameters with <see cref="ColumnAccess"/> (and those whose read can fail, used or not, so that
/// a value with no CLR counterpart fails the row whether or not lowering dropped the parameter — as calling the
/// original delegate, which reads every argument, does), evaluates the IR body inline (shared nodes once),
/// writes the result with <see cref="OutputAccess"/>, and turns an exception into a recorded error and a null
/// row before going on with the next row. Exact by construction: it is the IR's own code.
/// </summary>
internal static class RowLoopGenerator
{
    public static Expression<KernelBody> Generate(LambdaExpression ir, IReadOnlyList<ColumnLayout> inputs, ColumnLayout outputLayout)
    {
        if (inputs.Count != ir.Parameters.Count)
        {
            throw new ArgumentException($"The IR has {ir.Parameters.Count} parameters but {inputs.Count} input columns were given.");
        }

        var frame = Expression.Parameter(typeof(KernelFrame), "frame");
        var start = Expression.Parameter(typeof(int), "start");
        var end = Expression.Parameter(typeof(int), "end");
        var columns = inputs.Select((layout, k) => ColumnLocals.Declare(layout, $"{ir.Parameters[k].Name ?? "arg" + k}Column")).ToArray();
        var output = new OutputLocals(outputLayout, ir.ReturnType);
        var errors = Expression.Variable(typeof(RowErrorSink), "errors");
        var i = Expression.Variable(typeof(int), "i");
        var row = Expression.Variable(typeof(long), "row");
        var rowLimit = Expression.Variable(typeof(long), "rowLimit"); // the run's end, as far as a UTF-8 read may look ahead

        var body = ExtensionReducer.Reduce(ir.Body);
        var arena = Expression.Variable(typeof(Utf8Arena), "arena");
        var (utf8Body, usesArena, mayRetry) = Utf8Rewriter.Rewrite(body, ir.Parameters, columns, row, rowLimit, arena);
        var variables = new List<ParameterExpression>();
        var evaluateRow = EvaluateRow(utf8Body, ir, columns, output, row, rowLimit, usesArena ? arena : null, variables);
        // The rare row a UTF-8 operation cannot represent (Utf8RowRetry) is evaluated again on strings.
        var evaluateRowOnStrings = mayRetry ? EvaluateRow(body, ir, columns, output, row, rowLimit, null, variables) : null;
        var constants = new ConstantTexts();
        evaluateRow = constants.Visit(evaluateRow)!;

        var rowsDone = Expression.Label("rowsDone");
        var runDone = Expression.Label("runDone");
        var exception = Expression.Variable(typeof(Exception), "exception");
        var rowLoop = Expression.Loop(
            Expression.IfThenElse(
                Expression.LessThan(i, end),
                Expression.Block(
                    Expression.Assign(row, Expression.Convert(i, typeof(long))),
                    evaluateRow,
                    Expression.PreIncrementAssign(i)),
                Expression.Break(rowsDone)),
            rowsDone);
        var recordError = Expression.Block(typeof(void),
            Expression.Call(errors, nameof(RowErrorSink.Record), null, i, exception),
            OutputAccess.WriteNull(output, Expression.Convert(i, typeof(long))));
        var handlers = new List<CatchBlock>();
        if (evaluateRowOnStrings is not null)
        {
            handlers.Add(Expression.Catch(typeof(Utf8RowRetry), Expression.Block(typeof(void),
                Expression.TryCatch(evaluateRowOnStrings, Expression.Catch(exception, recordError)),
                Expression.PreIncrementAssign(i))));
        }

        handlers.Add(Expression.Catch(exception, Expression.Block(typeof(void), recordError, Expression.PreIncrementAssign(i))));
        var guardedLoop = Expression.Loop(
            Expression.TryCatch(Expression.Block(typeof(void), rowLoop, Expression.Break(runDone)), [.. handlers]),
            runDone);

        variables.AddRange(columns.SelectMany(c => c.Variables()));
        variables.AddRange(output.Variables());
        variables.AddRange([errors, i, row, rowLimit, arena]);
        variables.AddRange(constants.Variables);
        variables.AddRange(ir.Parameters);
        var statements = new List<Expression>();
        var views = Expression.Property(frame, nameof(KernelFrame.Views));
        for (int k = 0; k < columns.Length; k++) statements.AddRange(columns[k].Load(Expression.ArrayIndex(views, Expression.Constant(k))));
        var outputColumn = Expression.Property(frame, nameof(KernelFrame.Output));
        statements.AddRange(output.Load(outputColumn, start, end));
        statements.Add(Expression.Assign(errors, Expression.Property(frame, nameof(KernelFrame.Errors))));
        statements.Add(Expression.Assign(i, start));
        statements.Add(Expression.Assign(rowLimit, Expression.Convert(end, typeof(long))));
        if (usesArena) statements.Add(Expression.Assign(arena, Expression.Call(typeof(Utf8Arena), nameof(Utf8Arena.Rent), null)));
        statements.AddRange(constants.Assignments);
        statements.Add(guardedLoop);
        if (usesArena) statements.Add(Expression.Call(typeof(Utf8Arena), nameof(Utf8Arena.Return), null, arena));
        statements.Add(output.Finish(outputColumn));
        return Expression.Lambda<KernelBody>(Expression.Block(typeof(void), variables, statements), "RowLoopKernel", [frame, start, end]);
    }
    /// <summary>
    /// One row: the parameters it reads, the shared nodes, and the output write; null when a non-nullable
    /// parameter is null. The shared nodes' locals are added to <paramref name="variables"/>.
    /// </summary>
    private static Expression EvaluateRow(
        Expression body, LambdaExpression ir, ColumnLocals[] columns, OutputLocals output, ParameterExpression row, ParameterExpression rowLimit,
        ParameterExpression? arena, List<ParameterExpression> variables)
    {
        body = ListRewriter.Rewrite(body, ir.Parameters, columns, row);
        // A text result built last by a case mapping is mapped straight into the output (no copy through the arena).
        var appended = arena is not null && output.Layout.Encoding == ColumnEncoding.Utf8 ? CasedResult.AppendToOutput(body, output.Writer) : null;
        body = appended ?? body;
        // The column locals, the row and the arena are fixed for a row too: UTF-8 and list reads over them are shared like parameter reads.
        IEnumerable<ParameterExpression> fixedForARow = [.. ir.Parameters, .. columns.SelectMany(c => c.Variables()), row, rowLimit];
        var shared = SharedNodes.Memoize(body, [.. fixedForARow, .. arena is null ? [] : new[] { arena }]);
        variables.AddRange(shared.Values);
        variables.AddRange(shared.Flags);
        var rowBody = StackSpillGuard.Apply(shared.Body);
        var prelude = shared.Prelude.Select(StackSpillGuard.Apply).ToArray();
        var used = IrFacts.Of(Expression.Block(prelude.Append(rowBody))).Parameters;

        var evaluate = new List<Expression>();
        for (int k = 0; k < columns.Length; k++)
        {
            var parameter = ir.Parameters[k];
            if (used.Contains(parameter) || columns[k].Layout.Temporal != TemporalMeaning.None) evaluate.Add(Expression.Assign(parameter, ColumnAccess.Read(columns[k], row, parameter.Type)));
        }

        if (arena is not null) evaluate.Add(Expression.Call(arena, nameof(Utf8Arena.Reset), null));
        evaluate.AddRange(shared.Flags.Select(flag => Expression.Assign(flag, Expression.Constant(false))));
        evaluate.AddRange(prelude);
        evaluate.Add(appended is null ? OutputAccess.Write(output, row, rowBody) : OutputAccess.WriteAppended(output, row, rowBody));
        Expression evaluateRow = Expression.Block(typeof(void), evaluate);

        var presence = columns
            .Select((column, k) => ColumnAccess.Presence(column, row, ir.Parameters[k].Type))
            .Where(condition => condition is not null)
            .Aggregate((Expression?)null, (all, next) => all is null ? next : Expression.AndAlso(all, next!));
        return presence is null ? evaluateRow : Expression.IfThenElse(presence, evaluateRow, OutputAccess.WriteNull(output, row));
    }
}
