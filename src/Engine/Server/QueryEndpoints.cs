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
        // A body that says its length (every client here does) is read straight into an array of that size, one more byte to see
        // a body longer than it said; any other grows as it comes.
        var buffer = new byte[request.ContentLength is { } length ? (int)length + 1 : 4 * 1024];
        var filled = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
            if (filled > limit) throw TooLarge(limit);
            if (filled == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, limit + 1L));
        }
        return buffer.AsMemory(0, filled);
    }

    private static QueryException TooLarge(int limit) => new($"The body is larger than {limit} bytes.");

    /// <summary>A query's results written by <see cref="QueryResponse"/>: the one result, or all in <c>{"results": […]}</c>.</summary>
    private sealed class JsonResult(IReadOnlyList<QueryResult> results, bool bulk) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.ContentType = "application/json";
            // Written into the response's pipe (no stream and no copy of the JSON); sent on the pipe's flush.
            await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
            {
                if (bulk) QueryResponse.WriteMany(json, results);
                else QueryResponse.Write(json, results[0]);
                json.Flush();
            }
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }
}
