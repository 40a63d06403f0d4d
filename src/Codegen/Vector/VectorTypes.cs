namespace Dsl.Codegen.Vector;

/// <summary>
/// The scalar types vector kernels hold in lanes. Values of 4- and 8-byte numeric types are held as
/// themselves; values of 1- and 2-byte integers are held sign- or zero-extended in <c>int</c> lanes (C#
/// promotes them to int before any arithmetic, so the IR only compares and converts them); DateTime and
/// TimeSpan values are held as their ticks in long lanes.
/// </summary>
internal static class VectorTypes
{
    /// <summary>Whether values of <paramref name="type"/> (non-nullable, not bool) can live in lanes.</summary>
    public static bool IsLaneType(Type type) => IsWideLane(type) || IsSmallInteger(type) || IsTemporal(type);

    /// <summary>DateTime and TimeSpan, held as their ticks in long lanes.</summary>
    public static bool IsTemporal(Type type) => type == typeof(DateTime) || type == typeof(TimeSpan);

    /// <summary>Whether <paramref name="type"/> is held as itself (4- or 8-byte numeric).</summary>
    public static bool IsWideLane(Type type) =>
        type == typeof(double) || type == typeof(float) || type == typeof(long) || type == typeof(ulong) || type == typeof(int) || type == typeof(uint);

    /// <summary>1- and 2-byte integers, held as int lanes.</summary>
    public static bool IsSmallInteger(Type type) =>
        type == typeof(sbyte) || type == typeof(byte) || type == typeof(short) || type == typeof(ushort);

    /// <summary>The element type of the vectors holding values of <paramref name="type"/>.</summary>
    public static Type LaneOf(Type type) => IsSmallInteger(type) ? typeof(int) : IsTemporal(type) ? typeof(long) : type;

    public static bool IsFloatingPoint(Type type) => type == typeof(double) || type == typeof(float);

    public static bool IsSigned(Type type) => type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(sbyte);

    public static bool IsUnsigned(Type type) => type == typeof(ulong) || type == typeof(uint) || type == typeof(ushort) || type == typeof(byte);

    /// <summary>Bytes per lane holding values of <paramref name="type"/> (4 or 8).</summary>
    public static int SizeOf(Type type) => type == typeof(double) || type == typeof(long) || type == typeof(ulong) || IsTemporal(type) ? 8 : 4;
}
