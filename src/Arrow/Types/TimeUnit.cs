namespace Dsl.Arrow.Types;

/// <summary>The resolution of a timestamp or duration; the numeric values match the Arrow schema (FlatBuffers) enumeration.</summary>
public enum TimeUnit
{
    /// <summary>Seconds.</summary>
    Second = 0,
    /// <summary>Milliseconds.</summary>
    Millisecond = 1,
    /// <summary>Microseconds.</summary>
    Microsecond = 2,
    /// <summary>Nanoseconds.</summary>
    Nanosecond = 3,
}
