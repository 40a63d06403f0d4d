namespace Dsl.Fuzz.Generation;

/// <summary>The CLR types a generated resolver's parameters, locals and results can have.</summary>
public enum BaseType
{
    Double,
    Float,
    Int,
    Long,
    Bool,
    String,
    DateTime,
    DoubleArray,
    LongArray,
}

/// <summary>
/// A generated value's static type: a base type, optionally <c>Nullable&lt;T&gt;</c>. Strings and arrays are
/// reference types and never carry <see cref="Nullable"/>, though their values may still be null.
/// </summary>
public sealed record FuzzType(BaseType Base, bool Nullable = false)
{
    public static readonly FuzzType Double = new(BaseType.Double);
    public static readonly FuzzType Float = new(BaseType.Float);
    public static readonly FuzzType Int = new(BaseType.Int);
    public static readonly FuzzType Long = new(BaseType.Long);
    public static readonly FuzzType Bool = new(BaseType.Bool);
    public static readonly FuzzType String = new(BaseType.String);
    public static readonly FuzzType DateTime = new(BaseType.DateTime);
    public static readonly FuzzType DoubleArray = new(BaseType.DoubleArray);
    public static readonly FuzzType LongArray = new(BaseType.LongArray);

    public bool IsReference => Base is BaseType.String or BaseType.DoubleArray or BaseType.LongArray;

    public bool IsArray => Base is BaseType.DoubleArray or BaseType.LongArray;

    /// <summary>double, float, int, long: the types with arithmetic.</summary>
    public bool IsNumeric => Base is BaseType.Double or BaseType.Float or BaseType.Int or BaseType.Long;

    public bool IsInteger => Base is BaseType.Int or BaseType.Long;

    /// <summary>Whether a value of this type can be null (nullable value types, strings, arrays).</summary>
    public bool CanBeNull => Nullable || IsReference;

    public FuzzType AsNullable() => IsReference ? this : this with { Nullable = true };

    public FuzzType Underlying => this with { Nullable = false };

    /// <summary>The element type of an array type.</summary>
    public FuzzType Element => Base switch
    {
        BaseType.DoubleArray => Double,
        BaseType.LongArray => Long,
        _ => throw new InvalidOperationException($"{this} is not an array type"),
    };

    /// <summary>C# source spelling: <c>double?</c>, <c>long[]</c>, <c>DateTime</c>.</summary>
    public string CSharp => Base switch
    {
        BaseType.Double => "double",
        BaseType.Float => "float",
        BaseType.Int => "int",
        BaseType.Long => "long",
        BaseType.Bool => "bool",
        BaseType.String => "string",
        BaseType.DateTime => "DateTime",
        BaseType.DoubleArray => "double[]",
        BaseType.LongArray => "long[]",
        _ => throw new ArgumentOutOfRangeException(nameof(Base)),
    } + (Nullable ? "?" : "");

    /// <summary>The CLR type: <c>typeof(double?)</c>, <c>typeof(long[])</c>.</summary>
    public Type ClrType
    {
        get
        {
            var clr = Base switch
            {
                BaseType.Double => typeof(double), BaseType.Float => typeof(float), BaseType.Int => typeof(int),
                BaseType.Long => typeof(long), BaseType.Bool => typeof(bool), BaseType.String => typeof(string),
                BaseType.DateTime => typeof(DateTime), BaseType.DoubleArray => typeof(double[]), BaseType.LongArray => typeof(long[]),
                _ => throw new ArgumentOutOfRangeException(nameof(Base)),
            };
            return Nullable ? typeof(Nullable<>).MakeGenericType(clr) : clr;
        }
    }

    public override string ToString() => CSharp;
}
