namespace Dsl.Arrow.Types;

/// <summary>Identifies the logical kind of an Arrow type; parameters (unit, time zone, children) live on the type object.</summary>
public enum ArrowTypeId
{
    /// <summary>Bit-packed booleans.</summary>
    Boolean,
    /// <summary>Signed 8-bit integers.</summary>
    Int8,
    /// <summary>Signed 16-bit integers.</summary>
    Int16,
    /// <summary>Signed 32-bit integers.</summary>
    Int32,
    /// <summary>Signed 64-bit integers.</summary>
    Int64,
    /// <summary>Unsigned 8-bit integers.</summary>
    UInt8,
    /// <summary>Unsigned 16-bit integers.</summary>
    UInt16,
    /// <summary>Unsigned 32-bit integers.</summary>
    UInt32,
    /// <summary>Unsigned 64-bit integers.</summary>
    UInt64,
    /// <summary>IEEE 754 single precision.</summary>
    Float,
    /// <summary>IEEE 754 double precision.</summary>
    Double,
    /// <summary>UTF-8 strings with 32-bit offsets.</summary>
    String,
    /// <summary>UTF-8 strings with 64-bit offsets.</summary>
    LargeString,
    /// <summary>Opaque bytes with 32-bit offsets.</summary>
    Binary,
    /// <summary>Days since the UNIX epoch, 32-bit.</summary>
    Date32,
    /// <summary>64-bit count of a <see cref="TimeUnit"/> since the UNIX epoch, with an optional time zone.</summary>
    Timestamp,
    /// <summary>64-bit count of a <see cref="TimeUnit"/>.</summary>
    Duration,
    /// <summary>Variable-length lists with 32-bit offsets.</summary>
    List,
    /// <summary>A row of named children.</summary>
    Struct,
    /// <summary>Integer indices into a dictionary of values.</summary>
    Dictionary,
    /// <summary>Exact decimals: a 128-bit two's complement unscaled integer per value, with a precision and scale.</summary>
    Decimal128,
}
