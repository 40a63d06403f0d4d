using Dsl.Engine.Resolvers;
using Dsl.Engine.Sources;

namespace Dsl.Engine.Tests.Resolvers;

/// <summary>Names (entity, source, parameter features) and output columns checked against the features and a real DuckDB.</summary>
public sealed class SqlResolverBindingTests
{
    private DuckDbSource _lake = null!;

    [OneTimeSetUp]
    public void OpenSource() => _lake = new DuckDbSource("lake", new DuckDbSourceOptions
    {
        Setup = ["CREATE TABLE users AS SELECT 1::BIGINT AS id, 'Ann' AS full_name, 34::SMALLINT AS age, 2.5::REAL AS score, 10::HUGEINT AS big"],
    });

    [OneTimeTearDown]
    public async Task CloseSource() => await _lake.DisposeAsync();

    private BoundSqlResolver Bind(string text) => SqlResolver.Parse(text, "users.sql").Bind(TestEntities.All, [_lake]);

    [Test]
    public void Bind_NamesWrittenLoosely_FindEntitySourceAndKey()
    {
        var resolver = Bind("-- resolves: user\n-- source: Lake\nSELECT id FROM users WHERE id = ${USER.id}");

        Assert.That(resolver.Entity, Is.SameAs(TestEntities.Users));
        Assert.That(resolver.Source, Is.SameAs(_lake));
        Assert.That(resolver.Keys.Single().Feature.Name, Is.EqualTo("Id"));
        Assert.That(resolver.Keys.Single().Entity, Is.SameAs(TestEntities.Users));
    }

    [TestCase("-- resolves: Usr\n-- source: lake\nSELECT 1", 1, "unknown entity 'Usr' (did you mean 'User'?); the entities are User, Transaction")]
    [TestCase("-- resolves: User\n-- source: warehouse\nSELECT 1", 2, "unknown source 'warehouse'; the sources are lake")]
    [TestCase("-- resolves: User\n-- source: lake\nSELECT 1 WHERE 1 = ${account.id}", 3, "column 20: in ${account.id}, unknown entity 'account'")]
    [TestCase("-- resolves: User\n-- source: lake\nSELECT 1 WHERE 1 = ${user.idd}", 3, "column 20: in ${user.idd}, User has no feature 'idd' (did you mean 'Id'?)")]
    [TestCase("-- resolves: User\n-- source: lake\nSELECT 1 WHERE 1 = ${user.transactions}", 3, "User has no feature 'transactions'")]
    [TestCase("-- resolves: User\n-- source: lake\nSELECT 1 WHERE 1 = ${user.score}", 3, "User.Score is double?, which cannot be a lookup key")]
    public void Bind_UnknownName_NamesFileLineAndTheKnownNames(string text, int line, string problem)
    {
        var error = Assert.Throws<SqlResolverException>(() => Bind(text));

        Assert.That(error!.Message, Does.StartWith($"users.sql:{line}: ").And.Contain(problem));
    }

    [Test]
    public async Task DescribeAsync_ColumnsMatchFeaturesByTheDslRules()
    {
        var resolver = Bind("-- resolves: User\n-- source: lake\nSELECT id, full_name, age AS AGE, score FROM users WHERE id = ${user.id}");

        var outputs = await resolver.DescribeAsync();

        Assert.That(outputs.Select(o => (o.Column, o.Feature.Name)), Is.EqualTo(new[] { ("id", "Id"), ("full_name", "FullName"), ("AGE", "Age"), ("score", "Score") }));
        Assert.That(outputs.Select(o => o.IsWidened), Is.EqualTo(new[] { false, false, true, true }), "smallint widens to int, real to double");
        Assert.That(resolver.Outputs, Is.SameAs(outputs));
    }

    [TestCase("SELECT id, 'x' AS nickname FROM users", "column 'nickname' maps to no feature of User")]
    [TestCase("SELECT id, full_name AS fullname, full_name AS FULL_NAME FROM users", "columns 'fullname' and 'FULL_NAME' both map to User.FullName")]
    [TestCase("SELECT id AS __key FROM users", "reserved")]
    [TestCase("SELECT id, big AS age FROM users", "column 'age' has type decimal128(38, 0), read as decimal, but User.Age is int?; cast it in the SQL")]
    [TestCase("SELECT id, 1.5::DOUBLE AS age FROM users", "but User.Age is int?")]
    [TestCase("SELECT id, 0 AS transactions FROM users", "is the relation User.Transactions")]
    [TestCase("SELECT nope FROM users", "the query does not run on source 'lake' (duckdb)")]
    public void DescribeAsync_BadColumn_NamesFileColumnAndFeature(string query, string problem)
    {
        var resolver = Bind("-- resolves: User\n-- source: lake\n" + query);

        var error = Assert.ThrowsAsync<SqlResolverException>(() => resolver.DescribeAsync());

        Assert.That(error!.Message, Does.StartWith("users.sql: ").And.Contain(problem));
    }
}
