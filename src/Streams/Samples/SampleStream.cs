using System.Globalization;
using System.Text;
using Dsl.Engine;
using Dsl.Streams.Definition;

namespace Dsl.Streams.Samples;

/// <summary>A customer's contact details, nested in <see cref="CustomerMessage"/>.</summary>
public sealed record ContactInfo(string EmailAddress, string? Phone);

/// <summary>The sample message: a customer's profile update (~150 bytes of JSON).</summary>
public sealed record CustomerMessage(long Id, string Name, ContactInfo ContactInfo, DateTime UpdatedAt, double Amount);

/// <summary>The entity the sample stream writes.</summary>
public sealed class Customer
{
    /// <summary>The customer's id.</summary>
    [PrimaryKey]
    public long Id { get; set; }

    /// <summary>The full name.</summary>
    [MaxStaleness("infinite")]
    public string FullName { get; set; } = "";

    /// <summary>The e-mail address (a nested member of the message).</summary>
    [MaxStaleness("infinite")]
    public string Email { get; set; } = "";

    /// <summary>The e-mail's domain, lower case (a string function).</summary>
    [MaxStaleness("infinite")]
    public string? EmailDomain { get; set; }

    /// <summary>The hour of the update (a timestamp conversion).</summary>
    [MaxStaleness("infinite")]
    public int UpdatedHour { get; set; }

    /// <summary>A score computed from the amount.</summary>
    [MaxStaleness("infinite")]
    public double Score { get; set; }
}

/// <summary>
/// The sample stream resolver (<c>dsl stream</c> runs it when no assembly is given): customer updates with header
/// <c>X-MessageType: Customer</c>, five features and the key.
/// </summary>
public static class SampleStream
{
    /// <summary>The sample resolver, optionally deduplicating by message id within a day.</summary>
    public static StreamResolver Resolver(bool deduplicate = false)
    {
        var builder = StreamResolver.For<CustomerMessage>("customers", "customers")
            .Output((Customer c) => c.Id, m => m.Id)
            .Output((Customer c) => c.FullName, m => m.Name)
            .Output((Customer c) => c.Email, m => m.ContactInfo.EmailAddress)
            .Output((Customer c) => c.EmailDomain, m => F.Lower(F.SplitPart(m.ContactInfo.EmailAddress, "@", 1)!))
            .Output((Customer c) => c.UpdatedHour, m => F.Hour(m.UpdatedAt))
            .Output((Customer c) => c.Score, m => m.Amount * 1.5 + 10)
            .HeaderFilter("X-MessageType", "Customer");
        if (deduplicate) builder.Deduplicate(m => m.Id, TimeSpan.FromDays(1));
        return builder.Build();
    }

    /// <summary>The JSON of sample message <paramref name="i"/> (customer <c>i % customers + 1</c>).</summary>
    public static string Json(long i, int customers = 1000)
    {
        var id = i % customers + 1;
        var time = new DateTime(2026, 6, 30, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i % 1440);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"id\":{id},\"name\":\"Customer {id}\",\"contact_info\":{{\"email_address\":\"c{id}@Example{id % 7}.com\",\"phone\":null}},\"updated_at\":\"{time:yyyy-MM-ddTHH:mm:ssZ}\",\"amount\":{i % 1000 / 4.0}}}");
    }

    /// <summary>A replay file line for sample message <paramref name="i"/>: an envelope with the header and a time.</summary>
    public static string EnvelopeLine(long i, DateTime time, int customers = 1000) =>
        $"{{\"headers\":{{\"X-MessageType\":\"Customer\"}},\"time\":\"{time.ToString("O", CultureInfo.InvariantCulture)}\",\"data\":{Json(i, customers)}}}";

    /// <summary>Writes <paramref name="count"/> envelope lines to <paramref name="path"/>.</summary>
    public static void WriteReplayFile(string path, long count, DateTime time, int customers = 1000)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        for (var i = 0; i < count; i++) writer.WriteLine(EnvelopeLine(i, time, customers));
    }
}
