namespace Dsl.Codegen.Vector;

/// <summary>The scalar types vector kernels hold in lanes.</summary>
internal static class VectorTypes
{
    public static bool IsLaneType(Type type) =>
        type == typeof(double) || type == typeof(float) || type == typeof(long) || type == typeof(ulong) || type == typeof(int) || type == typeof(uint);

    public static bool IsFloatingPoint(Type type) => type == typeof(double) || type == typeof(float);

    public static bool IsSigned(Type type) => type == typeof(long) || type == typeof(int);

    public static int SizeOf(Type type) => type == typeof(double) || type == typeof(long) || type == typeof(ulong) ? 8 : 4;
}
