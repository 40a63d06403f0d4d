namespace Dsl.Arrow.Memory;

/// <summary>
/// An immutable view of <see cref="Length"/> bytes at <see cref="Address"/> inside a <see cref="Owner"/>'s
/// memory. A view holds no reference of its own: an <see cref="ArrayData"/> built over it takes one. The
/// default value is the empty buffer (no owner, address 0), which as a validity bitmap means "all valid".
/// </summary>
public readonly struct ArrowBuffer
{
    /// <summary>Creates a view of <paramref name="length"/> bytes at <paramref name="address"/> inside <paramref name="owner"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the owner's memory.</exception>
    public ArrowBuffer(MemoryOwner owner, nint address, long length)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var start = (long)address - owner.Address;
        if (start < 0 || start > owner.Length || length > owner.Length - start)
        {
            throw new ArgumentOutOfRangeException(
                nameof(address),
                $"The range [{start}, {start}+{length}) is outside the owner's {owner.Length} bytes.");
        }

        Owner = owner;
        Address = address;
        Length = length;
    }

    /// <summary>The empty buffer: no memory, address 0.</summary>
    public static ArrowBuffer Empty => default;

    /// <summary>The memory this view points into; null for <see cref="Empty"/>.</summary>
    public MemoryOwner? Owner { get; }

    /// <summary>The first byte of the view (0 for <see cref="Empty"/>).</summary>
    public nint Address { get; }

    /// <summary>The number of bytes in the view.</summary>
    public long Length { get; }

    /// <summary>Whether the view has no bytes.</summary>
    public bool IsEmpty => Length == 0;

    /// <summary>The bytes of the view.</summary>
    /// <exception cref="ObjectDisposedException">The owner's memory was released.</exception>
    /// <exception cref="InvalidOperationException">The view is longer than a span can be (2 GiB).</exception>
    public unsafe ReadOnlySpan<byte> Span
    {
        get
        {
            if (Owner is null)
            {
                return [];
            }

            Owner.ThrowIfReleased();
            if (Length > int.MaxValue)
            {
                throw new InvalidOperationException($"A buffer of {Length} bytes is too long for a span; read it by address.");
            }

            return new ReadOnlySpan<byte>((void*)Address, (int)Length);
        }
    }

    /// <summary>A view of <paramref name="length"/> bytes starting <paramref name="offset"/> bytes into this one, sharing the memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside this view.</exception>
    public ArrowBuffer Slice(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset > Length || length > Length - offset)
        {
            throw new ArgumentOutOfRangeException(
                nameof(offset),
                $"Slice [{offset}, {offset}+{length}) is outside a buffer of {Length} bytes.");
        }

        return length == 0 && Owner is null ? Empty : new ArrowBuffer(Owner!, Address + (nint)offset, length);
    }

    /// <summary>The bytes from <paramref name="offset"/> to the end, sharing the memory.</summary>
    public ArrowBuffer Slice(long offset) => Slice(offset, Length - offset);

    /// <inheritdoc />
    public override string ToString() => $"ArrowBuffer({Length} bytes at 0x{Address:x})";
}
