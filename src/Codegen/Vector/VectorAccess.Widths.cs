using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dsl.Codegen.Vector;

/// <summary>
/// Width changes between values of one block: lanes of 4-byte values live in vectors half as wide as lanes of
/// 8-byte values, and 1- and 2-byte columns are loaded into int lanes. Each helper is exact: sign or zero
/// extension as C# converts, truncation as unchecked C# narrows integers, IEEE rounding as C# narrows double
/// to float (see VectorWidthTests).
/// </summary>
internal static unsafe partial class VectorAccess
{
    /// <summary>4 rows of a 1- or 2-byte integer column as int lanes (sign- or zero-extended like C#).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> LoadInt128<T>(nint address, long index) where T : unmanaged
    {
        T* p = (T*)address + index;
        if (Sse41.IsSupported)
        {
            if (typeof(T) == typeof(sbyte)) return Sse41.ConvertToVector128Int32((sbyte*)p);
            if (typeof(T) == typeof(byte)) return Sse41.ConvertToVector128Int32((byte*)p);
            if (typeof(T) == typeof(short)) return Sse41.ConvertToVector128Int32((short*)p);
            if (typeof(T) == typeof(ushort)) return Sse41.ConvertToVector128Int32((ushort*)p);
        }

        return Vector128.Create(ToInt(p[0]), ToInt(p[1]), ToInt(p[2]), ToInt(p[3]));
    }

    /// <summary>8 rows of a 1- or 2-byte integer column as int lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> LoadInt256<T>(nint address, long index) where T : unmanaged
    {
        T* p = (T*)address + index;
        if (Avx2.IsSupported)
        {
            if (typeof(T) == typeof(sbyte)) return Avx2.ConvertToVector256Int32((sbyte*)p);
            if (typeof(T) == typeof(byte)) return Avx2.ConvertToVector256Int32((byte*)p);
            if (typeof(T) == typeof(short)) return Avx2.ConvertToVector256Int32((short*)p);
            if (typeof(T) == typeof(ushort)) return Avx2.ConvertToVector256Int32((ushort*)p);
        }

        return Vector256.Create(LoadInt128<T>(address, index), LoadInt128<T>(address, index + 4));
    }

    /// <summary>16 rows of a 1- or 2-byte integer column as int lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> LoadInt512<T>(nint address, long index) where T : unmanaged
    {
        T* p = (T*)address + index;
        if (Avx512F.IsSupported)
        {
            if (typeof(T) == typeof(sbyte)) return Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)p));
            if (typeof(T) == typeof(byte)) return Avx512F.ConvertToVector512Int32(Vector128.Load((byte*)p));
            if (typeof(T) == typeof(short)) return Avx512F.ConvertToVector512Int32(Vector256.Load((short*)p));
            if (typeof(T) == typeof(ushort)) return Avx512F.ConvertToVector512Int32(Vector256.Load((ushort*)p));
        }

        return Vector512.Create(LoadInt256<T>(address, index), LoadInt256<T>(address, index + 8));
    }

    /// <summary>Stores int lanes holding values of a 1- or 2-byte integer type as that type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInt128<T>(nint address, long index, Vector128<int> value) where T : unmanaged
    {
        T* p = (T*)address + index;
        for (int lane = 0; lane < 4; lane++) p[lane] = FromInt<T>(value.GetElement(lane));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInt256<T>(nint address, long index, Vector256<int> value) where T : unmanaged
    {
        StoreInt128<T>(address, index, value.GetLower());
        StoreInt128<T>(address, index + 4, value.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInt512<T>(nint address, long index, Vector512<int> value) where T : unmanaged
    {
        StoreInt256<T>(address, index, value.GetLower());
        StoreInt256<T>(address, index + 8, value.GetUpper());
    }

    /// <summary>A mask of 8-byte lanes as a mask of the same lanes 4 bytes wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> NarrowMask(Vector256<ulong> mask) => Vector256.Narrow(mask, mask).GetLower();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> NarrowMask(Vector512<ulong> mask) => Vector512.Narrow(mask, mask).GetLower();

    /// <summary>A mask of 4-byte lanes as a mask of the same lanes 8 bytes wide (sign extension keeps all-ones).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> WidenMask(Vector128<uint> mask) => Widen(mask.AsInt32()).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> WidenMask(Vector256<uint> mask) => Widen(mask.AsInt32()).AsUInt64();

    /// <summary>int lanes sign-extended to long, as <c>(long)int</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<long> Widen(Vector128<int> value) => Vector256.WidenLower(value.ToVector256Unsafe());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<long> Widen(Vector256<int> value) => Vector512.WidenLower(value.ToVector512Unsafe());

    /// <summary>uint lanes zero-extended to ulong, as <c>(ulong)uint</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Widen(Vector128<uint> value) => Vector256.WidenLower(value.ToVector256Unsafe());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Widen(Vector256<uint> value) => Vector512.WidenLower(value.ToVector512Unsafe());

    /// <summary>float lanes converted to double, as <c>(double)float</c> (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Widen(Vector128<float> value) => Vector256.WidenLower(value.ToVector256Unsafe());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Widen(Vector256<float> value) => Vector512.WidenLower(value.ToVector512Unsafe());

    /// <summary>long lanes truncated to int, as unchecked <c>(int)long</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Narrow(Vector256<long> value) => Vector256.Narrow(value, value).GetLower();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Narrow(Vector512<long> value) => Vector512.Narrow(value, value).GetLower();

    /// <summary>ulong lanes truncated to uint, as unchecked <c>(uint)ulong</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Narrow(Vector256<ulong> value) => Vector256.Narrow(value, value).GetLower();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Narrow(Vector512<ulong> value) => Vector512.Narrow(value, value).GetLower();

    /// <summary>double lanes rounded to float, as <c>(float)double</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Narrow(Vector256<double> value) => Vector256.Narrow(value, value).GetLower();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Narrow(Vector512<double> value) => Vector512.Narrow(value, value).GetLower();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ToInt<T>(T value) where T : unmanaged =>
        typeof(T) == typeof(sbyte) ? Unsafe.As<T, sbyte>(ref value)
        : typeof(T) == typeof(byte) ? Unsafe.As<T, byte>(ref value)
        : typeof(T) == typeof(short) ? Unsafe.As<T, short>(ref value)
        : typeof(T) == typeof(ushort) ? Unsafe.As<T, ushort>(ref value)
        : throw new NotSupportedException($"{typeof(T).Name} is not held in int lanes.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T FromInt<T>(int value) where T : unmanaged
    {
        if (typeof(T) == typeof(sbyte)) { var narrowed = unchecked((sbyte)value); return Unsafe.As<sbyte, T>(ref narrowed); }
        if (typeof(T) == typeof(byte)) { var narrowed = unchecked((byte)value); return Unsafe.As<byte, T>(ref narrowed); }
        if (typeof(T) == typeof(short)) { var narrowed = unchecked((short)value); return Unsafe.As<short, T>(ref narrowed); }
        if (typeof(T) == typeof(ushort)) { var narrowed = unchecked((ushort)value); return Unsafe.As<ushort, T>(ref narrowed); }
        throw new NotSupportedException($"{typeof(T).Name} is not held in int lanes.");
    }
}
