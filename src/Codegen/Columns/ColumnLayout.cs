namespace Dsl.Codegen.Columns;

/// <summary>How the values of a column are laid out in its buffers.</summary>
internal enum ColumnEncoding
{
    /// <summary>One <see cref="ColumnLayout.StorageType"/> per row in the values buffer.</summary>
    FixedWidth,

    /// <summary>Bit-packed booleans, LSB first.</summary>
    Bits,

    /// <summary>UTF-8 bytes addressed by int32 offsets.</summary>
    Utf8,

    /// <summary>UTF-8 bytes addressed by int64 offsets.</summary>
    LargeUtf8,

    /// <summary>A child column addressed by int32 offsets.</summary>
    List,

    /// <summary>One child column per field, row for row (written only: tuple results).</summary>
    Struct,

    /// <summary>CLR objects of <see cref="ColumnLayout.StorageType"/> in a managed array, one per row (read only; see <see cref="ClrObjectType"/>).</summary>
    Objects,
}

/// <summary>What the stored integer of a temporal or decimal column means (anything but None is read through a conversion that can fail).</summary>
internal enum TemporalMeaning
{
    None,

    /// <summary>Count of <see cref="ColumnLayout.TicksPerUnit"/>-sized units since the Unix epoch, UTC.</summary>
    Timestamp,

    /// <summary>Days since the Unix epoch (int32).</summary>
    Date32,

    /// <summary>Elapsed time in <see cref="ColumnLayout.TicksPerUnit"/>-sized units.</summary>
    Duration,

    /// <summary>An unscaled 128-bit decimal: the value is stored × 10^-<see cref="ColumnLayout.Scale"/>.</summary>
    Decimal128,
}

/// <summary>
/// The physical shape of a bound column as the kernels see it: encoding, storage type, temporal meaning and,
/// for lists, the element layout; for structs, one layout per field. Derived from an Arrow type by <see cref="ColumnTypes"/>; independent of the
/// Arrow object model so that kernels depend only on addresses.
/// </summary>
/// <remarks>
/// <c>TicksPerUnit</c>, for timestamps and durations, is the number of 100 ns ticks per stored unit:
/// 10,000,000 (s), 10,000 (ms), 10 (µs), or <see cref="NanosecondUnit"/> for nanoseconds (finer than a tick).
/// <c>Scale</c>, for decimals, is the Arrow type's scale.
/// </remarks>
internal sealed record ColumnLayout(
    ColumnEncoding Encoding,
    Type StorageType,
    TemporalMeaning Temporal = TemporalMeaning.None,
    long TicksPerUnit = 0,
    ColumnLayout? Element = null,
    IReadOnlyList<ColumnLayout>? Fields = null,
    int Scale = 0)
{
    /// <summary>The <see cref="TicksPerUnit"/> marker of nanosecond units (100 units per tick).</summary>
    public const long NanosecondUnit = -100;

    public static ColumnLayout Fixed(Type storage) => new(ColumnEncoding.FixedWidth, storage);

    public static ColumnLayout Boolean { get; } = new(ColumnEncoding.Bits, typeof(bool));

    public static ColumnLayout String { get; } = new(ColumnEncoding.Utf8, typeof(byte));

    public static ColumnLayout LargeString { get; } = new(ColumnEncoding.LargeUtf8, typeof(byte));

    public static ColumnLayout Timestamp(long ticksPerUnit) => new(ColumnEncoding.FixedWidth, typeof(long), TemporalMeaning.Timestamp, ticksPerUnit);

    public static ColumnLayout Duration(long ticksPerUnit) => new(ColumnEncoding.FixedWidth, typeof(long), TemporalMeaning.Duration, ticksPerUnit);

    public static ColumnLayout Date32 { get; } = new(ColumnEncoding.FixedWidth, typeof(int), TemporalMeaning.Date32);

    public static ColumnLayout Decimal128(int scale) => new(ColumnEncoding.FixedWidth, typeof(Int128), TemporalMeaning.Decimal128, Scale: scale);

    public static ColumnLayout ListOf(ColumnLayout element) => new(ColumnEncoding.List, typeof(int), Element: element);

    public static ColumnLayout StructOf(IReadOnlyList<ColumnLayout> fields) => new(ColumnEncoding.Struct, typeof(void), Fields: fields);

    public static ColumnLayout ObjectsOf(Type clrType) => new(ColumnEncoding.Objects, clrType);

    /// <summary>Whether values live one per row in a fixed-width buffer (vectorizable loads).</summary>
    public bool IsFixedWidth => Encoding == ColumnEncoding.FixedWidth;

    public override string ToString() => Encoding switch
    {
        ColumnEncoding.List => $"list<{Element}>",
        ColumnEncoding.Struct => $"struct<{string.Join(", ", Fields!)}>",
        ColumnEncoding.Utf8 => "utf8",
        ColumnEncoding.LargeUtf8 => "large_utf8",
        ColumnEncoding.Bits => "bool",
        ColumnEncoding.Objects => $"objects<{StorageType.Name}>",
        _ => Temporal switch
        {
            TemporalMeaning.None => StorageType.Name,
            TemporalMeaning.Decimal128 => $"decimal128(scale {Scale})",
            _ => $"{Temporal.ToString().ToLowerInvariant()}({TicksPerUnit})",
        },
    };
}
