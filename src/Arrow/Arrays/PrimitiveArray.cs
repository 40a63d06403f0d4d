using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// An array of fixed-width values of <typeparamref name="T"/>: buffer 0 validity, buffer 1 values.
/// <see cref="Values"/> starts at logical row 0 (the offset is applied); slots of null rows hold unspecified values.
/// </summary>
public abstract class PrimitiveArray<T> : Array
    where T : unmanaged
{
    /// <summary>Wraps <paramref name="data"/> after checking its type kind and buffer sizes.</summary>
    protected unsafe PrimitiveArray(ArrayData data, ArrowTypeId expected)
        : base(data, expected)
    {
        RequireBuffer(data, 1, ((long)data.Offset + data.Length) * sizeof(T), "values");
    }

    /// <summary>The values of rows [0, <see cref="Array.Length"/>).</summary>
    public unsafe ReadOnlySpan<T> Values
    {
        get
        {
            // Array data holds a reference on the memory, so while it is not disposed the memory is alive.
            return new ReadOnlySpan<T>((T*)Data.Buffer(1).Address + Offset, Length);
        }
    }

    /// <summary>The address of logical row 0's value (the offset is applied).</summary>
    public unsafe nint ValuesAddress => Data.Buffer(1).Address + Offset * sizeof(T);

    /// <summary>The value of row <paramref name="index"/>, or null when the row is null.</summary>
    public T? GetValue(int index) => IsValid(index) ? Values[index] : null;

    /// <summary>The values as nullable values, in row order.</summary>
    public T?[] ToArray() => ReadAll(GetValue);
}
