using System.Text;
using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>UTF-8 strings with 32-bit offsets (Arrow <c>utf8</c>); the layout of <see cref="BinaryArray"/>.</summary>
public sealed class StringArray : BinaryArray
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not utf8 or its buffers are too small.</exception>
    public StringArray(ArrayData data)
        : base(data, ArrowTypeId.String)
    {
    }

    /// <summary>The string of row <paramref name="index"/>, or null when the row is null. Invalid UTF-8 decodes to U+FFFD.</summary>
    public string? GetString(int index) => IsValid(index) ? Encoding.UTF8.GetString(GetBytes(index)) : null;

    /// <summary>The strings in row order, nulls as null.</summary>
    public string?[] ToArray() => ReadAll(GetString);

    /// <summary>Builds a <see cref="StringArray"/>.</summary>
    public new sealed class Builder : BinaryArrayBuilder<StringArray, Builder>
    {
        /// <summary>Appends the UTF-8 bytes of <paramref name="value"/>, or a null row when it is null.</summary>
        public Builder Append(string? value)
        {
            if (value is null)
            {
                return AppendNull();
            }

            var byteCount = Encoding.UTF8.GetByteCount(value);
            if (byteCount <= 256)
            {
                Span<byte> small = stackalloc byte[byteCount];
                Encoding.UTF8.GetBytes(value, small);
                return Append(small);
            }

            return Append(Encoding.UTF8.GetBytes(value));
        }

        /// <summary>Appends values, null entries as null rows.</summary>
        public Builder AppendRange(IEnumerable<string?> values) => AppendEach(values, Append);

        /// <inheritdoc />
        protected override IArrowType DataType => StringType.Default;

        /// <inheritdoc />
        protected override StringArray CreateArray(ArrayData data) => new(data);
    }
}
