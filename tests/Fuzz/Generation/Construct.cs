namespace Dsl.Fuzz.Generation;

/// <summary>
/// The source constructs the generator tags each node with, so the long mode can say which constructs the
/// compiled path handles and which send a program to the row-by-row fallback.
/// </summary>
public enum Construct
{
    Arithmetic,
    IntegerDivision,
    Conversion,
    Comparison,
    Logical,
    Bitwise,
    Ternary,
    NullCoalescing,
    NullableValue,
    NullableHasValue,
    NullableLiteral,
    LiftedArithmetic,
    LiftedComparison,
    LiftedLogic,
    PatternNull,
    PatternRelational,
    PatternConstant,
    SwitchExpression,
    SwitchStatement,
    IfElse,
    EarlyReturn,
    LocalDeclaration,
    LocalReassign,
    CompoundAssignment,
    CheckedBlock,
    CheckedExpression,
    MathCall,
    FloatClassification,
    StringMethod,
    StringConcat,
    StringSplit,
    DateTimeMember,
    DateTimeArithmetic,
    ArrayLength,
    ArrayIndex,
    LinqAggregate,
    ForLoop,
    ForeachFold,
}
