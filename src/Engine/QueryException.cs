namespace Dsl.Engine;

/// <summary>
/// A query the engine cannot take as asked: an unknown entity or feature, an input of the wrong type, inputs and outputs
/// of different entities. The whole query is refused (the server answers 400 with the message); failures of single
/// features while a query runs are not exceptions but <see cref="QueryError"/>s in the result.
/// </summary>
public sealed class QueryException(string message) : Exception(message);
