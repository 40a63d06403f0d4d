namespace Dsl.Arrow;

/// <summary>
/// A builder of one array; <see cref="BuildArray"/> hands over the appended rows as a new array and leaves the
/// builder empty and reusable. Dispose a builder that is abandoned before <see cref="BuildArray"/>.
/// </summary>
public interface IArrowArrayBuilder : IDisposable
{
    /// <summary>The number of rows appended since the last build.</summary>
    int Length { get; }

    /// <summary>Appends a null row.</summary>
    void AppendNullRow();

    /// <summary>Builds the array of the rows appended so far.</summary>
    IArrowArray BuildArray();
}
