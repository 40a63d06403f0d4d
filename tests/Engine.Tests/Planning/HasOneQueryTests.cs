using Dsl.Engine.Resolvers;
using Dsl.Engine.Sources;
using Dsl.Engine.Tests.Planning.HasOne;
using Npgsql;

namespace Dsl.Engine.Tests.Planning
{
    /// <summary>
    /// Has-one relations online: an <see cref="Order"/>'s features read its <see cref="Customer"/>'s — an input (<c>Limit</c>) and a
    /// computed feature (<c>Label</c>) — through the planner (the customer's own plan, for all orders' customers at once), with C#
    /// resolvers, SQL resolvers on DuckDB and on PostgreSQL. Expected values are the compiled set's online path over the objects.
    /// </summary>
    public sealed class HasOneQueryTests
    {
        private static readonly string[] Outputs = ["order.amount", "order.customer_label", "order.over_limit", "order.customer_country"];

        private static readonly Customer[] Customers =
        [
            new() { Id = 1, Name = "Ada", Country = "GB", Limit = 100 },
            new() { Id = 2, Name = "Bo", Country = "SE", Limit = 10 },
            new() { Id = 3, Name = "Cy", Country = "FR", Limit = 1e6 },
        ];

        // Order 14's customer does not exist: it reads a null customer.
        private static readonly Order[] Orders =
        [
            new() { Id = 10, CustomerId = 1, Amount = 150 },
            new() { Id = 11, CustomerId = 1, Amount = 50 },
            new() { Id = 12, CustomerId = 2, Amount = 10 },
            new() { Id = 13, CustomerId = 3, Amount = 7.5 },
            new() { Id = 14, CustomerId = 99, Amount = 1 },
        ];

        private const string OrdersSql = """
            -- resolves: Order
            -- source: main
            SELECT id, customer_id, amount FROM orders WHERE id = ${order.id}
            """;

        private const string CustomersSql = """
            -- resolves: Customer
            -- source: main
            SELECT id, name, country, "limit" FROM customers WHERE id = ${customer.id}
            """;

        private static string Data(string doubleType) => $"""
            CREATE TABLE customers (id BIGINT, name TEXT, country TEXT, "limit" {doubleType});
            INSERT INTO customers VALUES {string.Join(", ", Customers.Select(c => $"({c.Id}, '{c.Name}', '{c.Country}', {c.Limit:R})"))};
            CREATE TABLE orders (id BIGINT, customer_id BIGINT, amount {doubleType});
            INSERT INTO orders VALUES {string.Join(", ", Orders.Select(o => $"({o.Id}, {o.CustomerId}, {o.Amount:R})"))};
            """;

        private static FeatureEngineBuilder Builder() => new FeatureEngineBuilder().AddFeatureSet(new OrderFeatures()).AddFeatureSet(new CustomerFeatures());

        private static FeatureEngine CSharpEngine() => Builder()
            .AddResolver(CSharpResolver.Create<long, Order>("orders_by_id", "order.id", ["Id", "CustomerId", "Amount"],
                (id, _) => Task.FromResult(Orders.Where(o => o.Id == id))))
            .AddResolver(CSharpResolver.Create<long, Customer>("customers_by_id", "customer.id", ["Id", "Name", "Country", "Limit"],
                (id, _) => Task.FromResult(Customers.Where(c => c.Id == id))))
            .Build();

        private static Task<FeatureEngine> SqlEngineAsync(DataSource source) => Builder()
            .AddSource(source)
            .AddSqlResolver(SqlResolver.Parse(OrdersSql, "orders_by_id.sql"))
            .AddSqlResolver(SqlResolver.Parse(CustomersSql, "customers_by_id.sql"))
            .BuildAsync();

        /// <summary>The order's features by the compiled sets' online path, over the objects (the customer's label computed first).</summary>
        private static Dictionary<string, object?> Direct(long orderId)
        {
            var order = Orders.Single(o => o.Id == orderId);
            var customer = Customers.SingleOrDefault(c => c.Id == order.CustomerId);
            if (customer is not null)
                customer = new Customer { Id = customer.Id, Name = customer.Name, Country = customer.Country, Limit = customer.Limit,
                    Label = (string)new CustomerFeatures().Compile().Evaluate(customer)["Label"]! };
            var row = new OrderFeatures().Compile().Evaluate(new Order { Id = order.Id, CustomerId = order.CustomerId, Amount = order.Amount, Customer = customer });
            return new Dictionary<string, object?>
            {
                ["Order.Amount"] = order.Amount,
                ["Order.CustomerLabel"] = row["CustomerLabel"],
                ["Order.OverLimit"] = row["OverLimit"],
                ["Order.CustomerCountry"] = row["CustomerCountry"],
            };
        }

        private static IReadOnlyDictionary<string, object?> Order(long id) => new Dictionary<string, object?> { ["order.id"] = id };

        private static async Task AssertAnswersEveryOrder(FeatureEngine engine)
        {
            var bulk = await engine.QueryManyAsync(Orders.Select(o => Order(o.Id)).ToList(), Outputs);
            for (var i = 0; i < Orders.Length; i++)
            {
                var single = await engine.QueryAsync(Order(Orders[i].Id), Outputs);
                Assert.That(single.Errors, Is.Empty, $"order {Orders[i].Id}");
                Assert.That(single.Values, Is.EqualTo(Direct(Orders[i].Id)), $"order {Orders[i].Id}");
                Assert.That(bulk[i].Values, Is.EqualTo(single.Values), $"order {Orders[i].Id} in bulk");
            }
            var plan = engine.Explain(["order.id"], Outputs).Explain();
            Assert.That(plan, Has.Some.Contains("fetch Order.Customer (one Customer row) by Order.CustomerId"), string.Join("\n", plan));
        }

        [Test]
        public Task HasOne_CSharpResolvers_EqualsTheDirectComputation() => AssertAnswersEveryOrder(CSharpEngine());

        [Test]
        public async Task HasOne_SqlResolversOnDuckDb_EqualsTheDirectComputation()
        {
            await using var source = new DuckDbSource("main", new DuckDbSourceOptions { Setup = Data("DOUBLE").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) });
            await AssertAnswersEveryOrder(await SqlEngineAsync(source));
        }

        [Test]
        public async Task HasOne_SqlResolversOnPostgres_EqualsTheDirectComputation()
        {
            await using (var connection = new NpgsqlConnection(TestServers.Postgres.ConnectionString))
            {
                await connection.OpenAsync();
                await using var seed = new NpgsqlCommand("DROP TABLE IF EXISTS customers; DROP TABLE IF EXISTS orders; " + Data("float8"), connection);
                await seed.ExecuteNonQueryAsync();
            }
            await using var source = new PostgresSource("main", TestServers.Postgres.ConnectionString);
            await AssertAnswersEveryOrder(await SqlEngineAsync(source));
        }

        [Test]
        public async Task HasOne_RelatedLookupFails_OrderFeaturesReadingTheCustomerAreErrors()
        {
            var engine = Builder()
                .AddResolver(CSharpResolver.Create<long, Order>("orders_by_id", "order.id", ["Id", "CustomerId", "Amount"],
                    (id, _) => Task.FromResult(Orders.Where(o => o.Id == id))))
                .AddResolver(CSharpResolver.Create<long, Customer>("customers_by_id", "customer.id", ["Id", "Name", "Country", "Limit"],
                    (_, _) => throw new InvalidOperationException("the customer service is down")))
                .Build();
            var result = await engine.QueryAsync(Order(10), Outputs);
            Assert.That(result["Order.Amount"], Is.EqualTo(150.0));
            Assert.That(result.Errors.Select(e => e.Feature), Is.EquivalentTo(new[] { "Order.CustomerLabel", "Order.OverLimit", "Order.CustomerCountry" }));
            Assert.That(result.Errors, Has.All.Property("Message").Contains("the customer service is down"));
        }
    }
}

namespace Dsl.Engine.Tests.Planning.HasOne
{
    public sealed class Customer
    {
        [PrimaryKey]
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public string Country { get; set; } = "";

        public double Limit { get; set; }

        public string Label { get; set; } = "";
    }

    public sealed class Order
    {
        [PrimaryKey]
        public long Id { get; set; }

        public long CustomerId { get; set; }

        public double Amount { get; set; }

        public Customer? Customer { get; set; }

        public string? CustomerLabel { get; set; }

        public bool? OverLimit { get; set; }

        public string? CustomerCountry { get; set; }
    }

    public sealed class CustomerFeatures : FeatureSet<Customer>
    {
        protected override void Define(FeatureSetBuilder<Customer> features) => features.Define(c => c.Label, _ => _.Name + "/" + _.Country);
    }

    public sealed class OrderFeatures : FeatureSet<Order>
    {
        protected override void Define(FeatureSetBuilder<Order> features) => features
            .Define(o => o.CustomerLabel, _ => _.Customer == null ? null : _.Customer.Label)
            .Define(o => o.OverLimit, _ => _.Customer == null ? null : _.Amount > _.Customer.Limit)
            .Define(o => o.CustomerCountry, _ => _.Customer == null ? "none" : _.Customer.Country);
    }
}
