using Apache.Arrow;
using Dsl.ArrowExtensions;
using Dsl.ArrowExtensions.Types;
using Dsl.Codegen.Columns;

namespace Dsl.Runtime.Execution;

/// <summary>
/// Picks the column of a batch each parameter reads (<see cref="ColumnNames"/>) and checks that its Arrow type
/// can be read as the parameter's CLR type (<see cref="ColumnTypes.CanBind"/>), and validates each bound column
/// (<see cref="ArrowValidator"/>), before any row is computed: kernels read the buffers without further checks.
/// </summary>
internal static class ColumnBinder
{
    /// <summary>The bound columns in parameter order.</summary>
    /// <exception cref="ColumnBindingException">A column is missing, ambiguous or of a type the parameter cannot read.</exception>
    /// <exception cref="ArrowValidationException">A bound column is malformed (its buffers do not hold what its type and length say).</exception>
    public static IArrowArray[] Bind(IReadOnlyList<FunctionParameter> parameters, IReadOnlyDictionary<string, string>? bindings, RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var fields = batch.Schema.FieldsList;
        var names = fields.Select(f => f.Name).ToArray();
        var indexes = ColumnNames.Resolve(parameters, bindings, names);

        var columns = new IArrowArray[parameters.Count];
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            var target = ColumnNames.TargetName(parameter, bindings);
            if (indexes[i] < 0)
            {
                throw new ColumnBindingException(
                    $"Parameter '{parameter.Name}' ({TypeNames.Display(parameter.Type)}) reads column '{target}', which the batch does not have; " +
                    $"its columns are {(names.Length == 0 ? "none" : string.Join(", ", names))}.",
                    parameter.Name, target, parameter.Type, null);
            }

            var field = fields[indexes[i]];
            if (!ColumnTypes.CanBind(field.DataType, parameter.Type))
            {
                var reads = ColumnTypes.ClrTypeOf(field.DataType) is { } clr ? $"it reads as {TypeNames.Display(clr)}" : "no CLR type reads it";
                throw new ColumnBindingException(
                    $"Parameter '{parameter.Name}' has type {TypeNames.Display(parameter.Type)}, but column '{field.Name}' has Arrow type {ArrowTypes.Describe(field.DataType)} ({reads}).",
                    parameter.Name, field.Name, parameter.Type, ArrowTypes.Describe(field.DataType));
            }

            if (System.Array.IndexOf(indexes, indexes[i]) == i) ArrowValidator.ValidateColumn(batch, indexes[i]);
            columns[i] = batch.Column(indexes[i]);
        }
        return columns;
    }
}
