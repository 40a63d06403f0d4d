using Apache.Arrow;
using Apache.Arrow.Types;

namespace Dsl.Cli.Demo;

/// <summary>
/// Generates record batches of sample <see cref="Samples.Transaction"/> inputs, deterministic for a seed:
/// subtotals around the 1000 threshold, discounts and tax rates that are often null, a mix of gmail and
/// other addresses with dots, tags and upper case.
/// </summary>
internal sealed class TransactionBatches(int seed)
{
    private static readonly string[] Names = ["ann.lee", "Bob", "carla+news", "D.Kim+shop", "eve", "Frank.O", "gil+x.y", "hana"];
    private static readonly string[] Domains = ["gmail.com", "Gmail.com", "example.com", "mail.net"];
    private static readonly double[] Rates = [0.05, 0.1, 0.2];

    private readonly Random _random = new(seed);
    private readonly string[] _emails = BuildEmails(seed);
    private long _nextId;

    public static Schema Schema { get; } = new([
        new Field("Id", Int64Type.Default, nullable: false),
        new Field("Subtotal", DoubleType.Default, nullable: false),
        new Field("Discount", DoubleType.Default, nullable: true),
        new Field("TaxRate", DoubleType.Default, nullable: true),
        new Field("Taxable", BooleanType.Default, nullable: false),
        new Field("Email", StringType.Default, nullable: false),
    ], null);

    public RecordBatch Next(int rows)
    {
        var id = new Int64Array.Builder();
        var subtotal = new DoubleArray.Builder();
        var discount = new DoubleArray.Builder();
        var taxRate = new DoubleArray.Builder();
        var taxable = new BooleanArray.Builder();
        var email = new StringArray.Builder();
        for (var i = 0; i < rows; i++)
        {
            id.Append(_nextId++);
            subtotal.Append(Math.Round(_random.NextDouble() * 2000, 2));
            if (_random.Next(10) < 6) discount.AppendNull();
            else discount.Append(Math.Round(_random.NextDouble() * 200, 2));
            if (_random.Next(10) < 2) taxRate.AppendNull();
            else taxRate.Append(Rates[_random.Next(Rates.Length)]);
            taxable.Append(_random.Next(10) < 7);
            email.Append(_emails[_random.Next(_emails.Length)]);
        }
        return new RecordBatch(Schema, [id.Build(), subtotal.Build(), discount.Build(), taxRate.Build(), taxable.Build(), email.Build()], rows);
    }

    private static string[] BuildEmails(int seed)
    {
        var random = new Random(seed + 1);
        return Enumerable.Range(0, 4096)
            .Select(i => $"{Names[random.Next(Names.Length)]}{i}@{Domains[random.Next(Domains.Length)]}")
            .ToArray();
    }
}
