using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Dsl.Engine.Server;

/// <summary>
/// The server's endpoints, kept apart from hosting: <c>POST /v1/query</c>, <c>POST /v1/query/bulk</c> and <c>GET /health</c>. Bad input of any kind (not JSON,
/// not a query, unknown features, wrong types, a body too large) is a 400 with a ProblemDetails naming the problem.
/// </summary>
internal sealed class QueryEndpoints(FeatureEngine engine, QueryServerOptions options)
{
    public Task<IResult> QueryAsync(HttpContext context) => AnswerAsync(context, bulk: false);

    /// <summary><c>POST /v1/query/bulk</c>: one query for many entities, <c>{"results": [answer, …]}</c> in the order given.</summary>
    public Task<IResult> QueryBulkAsync(HttpContext context) => AnswerAsync(context, bulk: true);

    private async Task<IResult> AnswerAsync(HttpContext context, bool bulk)
    {
        try
        {
            var body = await ReadBodyAsync(context.Request, options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
            var request = bulk ? QueryRequest.ParseBulk(body) : QueryRequest.Parse(body);
            var results = await engine.QueryManyAsync(request.Entities, request.Outputs, request.Options, context.RequestAborted).ConfigureAwait(false);
            return new JsonResult(results, bulk);
        }
        catch (QueryException e)
        {
            return BadRequest(e.Message);
        }
        catch (BadHttpRequestException e)
        {
            return BadRequest($"The request cannot be read: {e.Message}");
        }
    }

    public IResult Health() => TypedResults.Ok(new
    {
        status = "ok",
        entities = engine.Graph.Entities.Select(e => e.Name).ToArray(),
        resolvers = engine.Graph.Resolvers.Count,
        plans = engine.Planner.CachedPlans,
    });

    private static IResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "The query cannot be answered as asked");

    /// <summary>The body, or a <see cref="QueryException"/> once it passes <paramref name="limit"/> bytes (read no further).</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) throw TooLarge(limit);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) throw TooLarge(limit);
            buffer.Write(chunk, 0, read);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static QueryException TooLarge(int limit) => new($"The body is larger than {limit} bytes.");

    /// <summary>A query's results written by <see cref="QueryResponse"/>: the one result, or all in <c>{"results": […]}</c>.</summary>
    private sealed class JsonResult(IReadOnlyList<QueryResult> results, bool bulk) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(context.Response.Body);
            if (bulk) QueryResponse.WriteMany(json, results);
            else QueryResponse.Write(json, results[0]);
            await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }
}
