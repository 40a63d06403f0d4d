namespace Dsl.Lowering.Ir;

/// <summary>What a <see cref="ListAggregateExpression"/> does when its source array is null, which depends on where it came from.</summary>
internal enum ListNullSource
{
    /// <summary>A LINQ <see cref="Enumerable"/> call: throws <see cref="ArgumentNullException"/>.</summary>
    ThrowsArgumentNull,

    /// <summary>The user's own loop (<c>foreach</c>, or <c>for</c> up to <c>Length</c>): reading the length throws <see cref="NullReferenceException"/>.</summary>
    ThrowsNullReference,

    /// <summary>A span method (<c>MemoryExtensions.Contains</c> on <c>array.AsSpan()</c> or C# 14's implicit span): a null array is an empty span.</summary>
    IsEmpty,
}
