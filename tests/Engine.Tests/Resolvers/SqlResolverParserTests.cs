using Dsl.Engine.Resolvers;

namespace Dsl.Engine.Tests.Resolvers;

public sealed class SqlResolverParserTests
{
    [Test]
    public void Parse_FullHeader_ReadsEverySetting()
    {
        var resolver = SqlResolver.Parse("""
            -- Users by id, from the accounts database.
            -- resolves: User
            -- source: accounts
            -- type: offline
            -- timeout: 1.5s

            SELECT id, full_name FROM users WHERE id = ${user.id};
            """, "sql/users.sql");

        Assert.Multiple(() =>
        {
            Assert.That(resolver.Name, Is.EqualTo("users"));
            Assert.That(resolver.File, Is.EqualTo("sql/users.sql"));
            Assert.That(resolver.Entity, Is.EqualTo("User"));
            Assert.That(resolver.Source, Is.EqualTo("accounts"));
            Assert.That(resolver.Kind, Is.EqualTo(ResolverKind.Offline));
            Assert.That(resolver.Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
            Assert.That(resolver.Description, Is.EqualTo("Users by id, from the accounts database."));
            Assert.That(resolver.Parameters, Is.EqualTo(new[] { new SqlParameterReference("user", "id", 7, 44) }));
            Assert.That(resolver.IsLookup);
        });
    }

    [Test]
    public void Parse_NoType_IsOnlineWithoutTimeout()
    {
        var resolver = SqlResolver.Parse("-- resolves: User\n-- source: s\nSELECT 1 AS id", "x.sql");

        Assert.That(resolver.Kind, Is.EqualTo(ResolverKind.Online));
        Assert.That(resolver.Timeout, Is.Null);
        Assert.That(resolver.IsLookup, Is.False);
    }

    [Test]
    public void Parse_NameSetting_OverridesTheFileName()
    {
        Assert.That(SqlResolver.Parse("-- resolves: User\n-- source: s\n-- name: profile\nSELECT 1 AS id", "x.sql").Name, Is.EqualTo("profile"));
    }

    [Test]
    public void Parse_ParameterUsedTwice_IsOneKey()
    {
        var resolver = SqlResolver.Parse("-- resolves: Transaction\n-- source: s\nSELECT * FROM t WHERE user_id = ${user.id} OR payer = ${ User.Id }", "t.sql");

        Assert.That(resolver.Parameters, Has.Count.EqualTo(1));
    }

    [Test]
    public void Parse_ParameterLookalikesInStringsCommentsAndDollarQuotes_AreNotParameters()
    {
        var resolver = SqlResolver.Parse("""
            -- resolves: User
            -- source: s
            SELECT '${user.id}' AS a, "${x.y}" AS b, $$ ${user.id} $$ AS c, $q$ it's ${user.id} $q$ AS d -- ${user.id}
            /* ${user.id} */ FROM users WHERE id = $1
            """, "u.sql");

        Assert.That(resolver.Parameters, Is.Empty);
    }

    [TestCase("-- source: s\nSELECT 1", 1, "no '-- resolves:' line")]
    [TestCase("-- resolves: User\nSELECT 1", 1, "no '-- source:' line")]
    [TestCase("-- resolves: User\n-- source: s\n-- type: nightly\nSELECT 1", 3, "'nightly' is not 'online' or 'offline'")]
    [TestCase("-- resolves: User\n-- source: s\n-- timeout: soon\nSELECT 1", 3, "the timeout 'soon'")]
    [TestCase("-- resolves: User\n-- source: s\n-- timeout: 0ms\nSELECT 1", 3, "the timeout '0ms'")]
    [TestCase("-- resolves: User\n-- resolve: Account\n-- source: s\nSELECT 1", 2, "unknown header setting 'resolve' (did you mean 'resolves'?)")]
    [TestCase("-- resolves: User\n-- resolves: Account\n-- source: s\nSELECT 1", 2, "'resolves' is set twice (first on line 1)")]
    [TestCase("-- resolves:\n-- source: s\nSELECT 1", 1, "'resolves' has no value")]
    [TestCase("-- resolves: User\n-- source: s\n\n", 4, "no query after its header")]
    [TestCase("-- resolves: User\n-- source: s\nSELECT 1;\nDELETE FROM users", 3, "one statement")]
    [TestCase("-- resolves: User\n-- source: s\nSELECT *\nFROM u WHERE id = ${user}", 4, "column 19: the parameter '${user}' is not '${entity.feature}'")]
    [TestCase("-- resolves: User\n-- source: s\nSELECT * FROM u WHERE id = ${user.id", 3, "no closing '}'")]
    [TestCase("-- resolves: User\n-- source: s\nSELECT 'open", 3, "the string that starts here is not closed")]
    [TestCase("-- resolves: User\n-- source: s\nSELECT 1 /* open", 3, "not closed with */")]
    public void Parse_BadResolver_NamesFileLineAndProblem(string text, int line, string problem)
    {
        var error = Assert.Throws<SqlResolverException>(() => SqlResolver.Parse(text, "bad.sql"));

        Assert.That(error!.Line, Is.EqualTo(line));
        Assert.That(error.Message, Does.StartWith($"bad.sql:{line}: ").And.Contain(problem));
    }

    [Test]
    public void Parse_TrailingSemicolonAndComments_AreAccepted()
    {
        var resolver = SqlResolver.Parse("-- resolves: User\n-- source: s\nSELECT 1 AS id; -- done\n/* end */\n", "u.sql");

        Assert.That(resolver.Body, Does.StartWith("SELECT 1 AS id"));
    }

    [Test]
    public void LoadDirectory_ReadsEverySqlFileInPathOrder()
    {
        var directory = Directory.CreateTempSubdirectory("dsl-sql-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "b.sql"), "-- resolves: User\n-- source: s\nSELECT 1 AS id");
            Directory.CreateDirectory(Path.Combine(directory, "nested"));
            File.WriteAllText(Path.Combine(directory, "nested", "a.sql"), "-- resolves: Transaction\n-- source: s\nSELECT 1 AS id");
            File.WriteAllText(Path.Combine(directory, "notes.txt"), "not a resolver");

            var resolvers = SqlResolver.LoadDirectory(directory);

            Assert.That(resolvers.Select(r => r.Name), Is.EqualTo(new[] { "b", "a" }));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
