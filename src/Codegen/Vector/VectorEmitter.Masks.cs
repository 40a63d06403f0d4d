using System.Linq.Expressions;

namespace Dsl.Codegen.Vector;

/// <summary>Lane-mask algebra: validity masks read null as "every lane", error masks read null as "no lane".</summary>
internal sealed partial class VectorEmitter
{
    private Expression? ValidAnd(Expression? a, Expression? b) =>
        a is null ? b : b is null ? a : Let(_shape.Call("BitwiseAnd", _shape.MaskElement, a, b), "valid");

    private Expression? ErrorOr(Expression? a, Expression? b) =>
        a is null ? b : b is null ? a : Let(_shape.Call("BitwiseOr", _shape.MaskElement, a, b), "errors");

    private Expression? ErrorOr(Expression? a, Expression? b, Expression? c) => ErrorOr(ErrorOr(a, b), c);

    /// <summary>Errors restricted to the lanes of <paramref name="lanes"/> (null lanes = every lane).</summary>
    private Expression? ErrorWhere(Expression? errors, Expression? lanes) =>
        errors is null ? null : lanes is null ? errors : Let(_shape.Call("BitwiseAnd", _shape.MaskElement, errors, lanes), "errors");

    private Expression MaskAnd(Expression a, Expression b) => Let(_shape.Call("BitwiseAnd", _shape.MaskElement, a, b), "mask");

    private Expression MaskOr(Expression a, Expression b) => Let(_shape.Call("BitwiseOr", _shape.MaskElement, a, b), "mask");

    private Expression MaskNot(Expression a) => Let(_shape.Call("OnesComplement", _shape.MaskElement, a), "mask");

    /// <summary>Per lane: <paramref name="mask"/> ? <paramref name="ifSet"/> : <paramref name="ifClear"/>.</summary>
    private Expression Select(Expression mask, Expression ifSet, Expression ifClear)
    {
        var element = ifSet.Type.GetGenericArguments()[0];
        return Let(_shape.Call("ConditionalSelect", element, _shape.MaskFor(mask, element), ifSet, ifClear), "select");
    }

    /// <summary>The lane mask of a comparison result vector of any element type (widened when its lanes are narrower).</summary>
    private Expression AsMask(Expression comparison) => _shape.ToMask(comparison);

    /// <summary>The valid mask of a value, materialised (every lane when null).</summary>
    private Expression ValidOrAll(VectorValue value) => value.Valid ?? _shape.AllLanes;
}
