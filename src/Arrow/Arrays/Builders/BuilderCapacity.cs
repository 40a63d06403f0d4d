namespace Dsl.Arrow;

/// <summary>The one limit every builder buffer shares: an Arrow array's length is an <see cref="int"/>.</summary>
internal static class BuilderCapacity
{
    /// <summary>
    /// The length after appending <paramref name="additional"/> items to <paramref name="current"/>; throws when
    /// <paramref name="additional"/> is negative or the result would not fit an Arrow array.
    /// </summary>
    public static int Grown(int current, int additional)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(additional);
        var length = (long)current + additional;
        if (length > int.MaxValue)
        {
            throw new InvalidOperationException($"An Arrow array cannot hold more than {int.MaxValue} values.");
        }

        return (int)length;
    }
}
