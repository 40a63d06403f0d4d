namespace Dsl.Arrow;

/// <summary>Full validation of array data, for readers of untrusted input.</summary>
public sealed partial class ArrayData
{
    /// <summary>
    /// Checks, recursively and in O(length), that this array data is well-formed for its type: buffers large
    /// enough for offset + length, a known null count matching the validity bitmap, offsets non-negative,
    /// non-decreasing and inside the data buffer or child, struct/list children of the right type and length,
    /// dictionary indices inside the dictionary. Readers (IPC) call it once per batch so that kernels can trust
    /// the arrays. UTF-8 well-formedness is not checked.
    /// </summary>
    /// <exception cref="ArrowFormatException">The data is malformed; the message says what and where.</exception>
    /// <exception cref="ObjectDisposedException">The data was disposed.</exception>
    public void Validate() => ArrayDataValidator.Validate(this, $"{DataType} array");

    /// <summary>As <see cref="Validate()"/>, naming the array <paramref name="location"/> in messages (e.g. <c>column 2 ('price')</c>).</summary>
    public void Validate(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArrayDataValidator.Validate(this, location);
    }
}
