using System.Text.Json;

namespace Dsl.Engine.Server;

/// <summary>Writes a <see cref="QueryResult"/> as the JSON <c>POST /v1/query</c> answers with.</summary>
public static class QueryResponse
{
    /// <summary>
    /// <c>{"values": {"User.TotalSpend": 220.5, …}, "errors": [{"feature", "exception_type", "message"}], "metadata": {"plan": [lines],
    /// "features": {"User.TotalSpend": {"source": "computed", "age_ms": null}}, "cache_hits": 0, "steps": [{"step", "ms"}],
    /// "store_problem": null, "elapsed_ms": 0.4}}</c>. NaN and infinities are written as the strings "NaN", "Infinity", "-Infinity".
    /// </summary>
    public static void Write(Utf8JsonWriter json, QueryResult result)
    {
        json.WriteStartObject();
        json.WriteStartObject("values");
        foreach (var (feature, value) in result.Values)
        {
            json.WritePropertyName(feature);
            WriteValue(json, value);
        }
        json.WriteEndObject();

        json.WriteStartArray("errors");
        foreach (var error in result.Errors)
        {
            json.WriteStartObject();
            json.WriteString("feature", error.Feature);
            json.WriteString("exception_type", error.ExceptionType);
            json.WriteString("message", error.Message);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        var metadata = result.Metadata;
        json.WriteStartObject("metadata");
        json.WriteStartArray("plan");
        foreach (var line in metadata.Plan.Explain()) json.WriteStringValue(line);
        json.WriteEndArray();
        json.WriteStartObject("features");
        foreach (var (feature, provenance) in metadata.Features)
        {
            json.WriteStartObject(feature);
            json.WriteString("source", SourceName(provenance.Source));
            if (provenance.Age is { } age) json.WriteNumber("age_ms", age.TotalMilliseconds);
            else json.WriteNull("age_ms");
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteNumber("cache_hits", metadata.CacheHits);
        json.WriteStartArray("steps");
        foreach (var step in metadata.Steps)
        {
            json.WriteStartObject();
            json.WriteString("step", step.Step);
            json.WriteNumber("ms", step.Elapsed.TotalMilliseconds);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (metadata.StoreProblem is null) json.WriteNull("store_problem");
        else json.WriteString("store_problem", metadata.StoreProblem);
        json.WriteNumber("elapsed_ms", metadata.Elapsed.TotalMilliseconds);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The results of a bulk query: <c>{"results": [answer, …]}</c>, each answer as <see cref="Write"/> writes it.</summary>
    public static void WriteMany(Utf8JsonWriter json, IReadOnlyList<QueryResult> results)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(results);
        json.WriteStartObject();
        json.WriteStartArray("results");
        foreach (var result in results) Write(json, result);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    // Written for every feature of every answer: constants rather than two new strings (ToString, ToLowerInvariant) each time.
    private static string SourceName(ValueSource source) => source switch
    {
        ValueSource.Input => "input",
        ValueSource.Store => "store",
        ValueSource.Resolver => "resolver",
        ValueSource.Computed => "computed",
        ValueSource.Failed => "failed",
        _ => source.ToString().ToLowerInvariant(),
    };

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case bool b: json.WriteBooleanValue(b); break;
            case string s: json.WriteStringValue(s); break;
            case double d when !double.IsFinite(d): json.WriteStringValue(d.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case float f when !float.IsFinite(f): json.WriteStringValue(f.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case double d: json.WriteNumberValue(d); break;
            case float f: json.WriteNumberValue(f); break;
            case long l: json.WriteNumberValue(l); break;
            case int i: json.WriteNumberValue(i); break;
            case short i: json.WriteNumberValue(i); break;
            case sbyte i: json.WriteNumberValue(i); break;
            case ulong i: json.WriteNumberValue(i); break;
            case uint i: json.WriteNumberValue(i); break;
            case ushort i: json.WriteNumberValue(i); break;
            case byte i: json.WriteNumberValue(i); break;
            case decimal m: json.WriteNumberValue(m); break;
            case DateTime t: json.WriteStringValue(DateTime.SpecifyKind(t, DateTimeKind.Utc)); break;
            case DateOnly d: json.WriteStringValue(d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)); break;
            case TimeSpan t: json.WriteStringValue(t.ToString("c", System.Globalization.CultureInfo.InvariantCulture)); break;
            default: json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
        }
    }
}
