using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Engine.Sources;
using Npgsql;

namespace Dsl.Engine.Tests.Sources;

public sealed class PostgresSourceTests
{
    private static PostgresSource Open(string name = "accounts") => new(name, TestServers.Postgres.ConnectionString);

    [OneTimeSetUp]
    public async Task CreateTables()
    {
        await using var connection = new NpgsqlConnection(TestServers.Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            DROP TABLE IF EXISTS typed;
            CREATE TABLE typed (
                id bigint PRIMARY KEY, small smallint, int4 integer, real4 real, float8 double precision,
                exact numeric(12, 3), loose numeric, label text, code varchar(8), flag boolean,
                at_utc timestamptz, at_local timestamp, day date, clock time, span interval, blob bytea, uid uuid, doc jsonb);
            INSERT INTO typed VALUES
                (1, -32768, 2147483647, 1.5, '-0'::float8, 123456789.125, 0.000000000000000001, 'Zoë 🙂', 'AB', true,
                 '2024-02-29 12:34:56.789012+00', '2024-02-29 12:34:56.789012', '2024-02-29', '23:59:59.999999', '1 day 02:03:04.5',
                 '\x00ff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}'),
                (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                (3, 7, 0, 'NaN', 'Infinity', -0.001, 42, '', 'x', false,
                 '1970-01-01 00:00:00+00', '1900-01-01 00:00:00', '0001-01-01', '00:00:00', '-00:00:01', '\x', '00000000-0000-0000-0000-000000000000', 'null');
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Test]
    public async Task QueryAsync_EveryMappedType_GivesArrowValuesAndNulls()
    {
        await using var source = Open();

        var result = await source.ReadAllAsync("SELECT * FROM typed ORDER BY id", []);
        var batch = result.Batches.Single();

        string Type(string column) => ArrowExtensions.Types.ArrowTypes.Describe(batch.Schema.GetFieldByName(column).DataType);
        Assert.Multiple(() =>
        {
            Assert.That(Type("id"), Is.EqualTo("int64"));
            Assert.That(Type("small"), Is.EqualTo("int16"));
            Assert.That(Type("int4"), Is.EqualTo("int32"));
            Assert.That(Type("real4"), Is.EqualTo("float"));
            Assert.That(Type("float8"), Is.EqualTo("double"));
            Assert.That(Type("exact"), Is.EqualTo("decimal128(12, 3)"));
            Assert.That(Type("loose"), Is.EqualTo("decimal128(38, 18)"));
            Assert.That(Type("label"), Is.EqualTo("utf8"));
            Assert.That(Type("flag"), Is.EqualTo("bool"));
            Assert.That(Type("at_utc"), Does.StartWith("timestamp[us").And.Contain("UTC"));
            Assert.That(Type("day"), Is.EqualTo("date32"));
        });

        Assert.That(Enumerable.Range(0, batch.ColumnCount).Skip(1).All(c => batch.Column(c).IsNull(1)), "row 2 is all NULL");
        Assert.That(((Int16Array)batch.Column(1)).GetValue(0), Is.EqualTo(short.MinValue));
        Assert.That(((Int32Array)batch.Column(2)).GetValue(0), Is.EqualTo(int.MaxValue));
        Assert.That(float.IsNaN(((FloatArray)batch.Column(3)).GetValue(2)!.Value));
        Assert.That(double.IsNegative(((DoubleArray)batch.Column(4)).GetValue(0)!.Value), "-0.0 keeps its sign");
        Assert.That(((DoubleArray)batch.Column(4)).GetValue(2), Is.EqualTo(double.PositiveInfinity));
        Assert.That(((Decimal128Array)batch.Column(5)).GetValue(0), Is.EqualTo(123456789.125m));
        Assert.That(((Decimal128Array)batch.Column(5)).GetValue(2), Is.EqualTo(-0.001m));
        Assert.That(((Decimal128Array)batch.Column(6)).GetValue(0), Is.EqualTo(0.000000000000000001m));
        Assert.That(((StringArray)batch.Column(7)).GetString(0), Is.EqualTo("Zoë 🙂"));
        Assert.That(((StringArray)batch.Column(7)).GetString(2), Is.EqualTo(""), "an empty string is not null");
        Assert.That(batch.Column(7).IsNull(2), Is.False);
        Assert.That(((BooleanArray)batch.Column(9)).GetValue(2), Is.False);
        var utc = (TimestampArray)batch.Column(10);
        Assert.That(utc.GetTimestamp(0), Is.EqualTo(new DateTimeOffset(2024, 2, 29, 12, 34, 56, TimeSpan.Zero).AddTicks(7890120)));
        Assert.That(utc.GetTimestamp(2), Is.EqualTo(DateTimeOffset.UnixEpoch));
        Assert.That(((TimestampArray)batch.Column(11)).GetTimestamp(2), Is.EqualTo(new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(((Date32Array)batch.Column(12)).GetDateOnly(2), Is.EqualTo(DateOnly.MinValue));
        Assert.That(((Time64Array)batch.Column(13)).GetValue(0), Is.EqualTo(86_399_999_999L));
        Assert.That(((DurationArray)batch.Column(14)).GetValue(0), Is.EqualTo(93_784_500_000L));
        Assert.That(((DurationArray)batch.Column(14)).GetValue(2), Is.EqualTo(-1_000_000L));
        Assert.That(((BinaryArray)batch.Column(15)).GetBytes(0).ToArray(), Is.EqualTo(new byte[] { 0, 255 }));
        Assert.That(((BinaryArray)batch.Column(15)).GetBytes(2).Length, Is.Zero);
        Assert.That(((StringArray)batch.Column(16)).GetString(0), Is.EqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        Assert.That(((StringArray)batch.Column(17)).GetString(0), Is.EqualTo("{\"a\": 1}"));
    }

    [Test]
    public async Task QueryAsync_ManyKeysWithAny_OneRoundTripAnswersEach()
    {
        await using var source = Open();

        var result = await source.ReadAllAsync("SELECT id, label FROM typed WHERE id = ANY(@keys) ORDER BY id", [new SqlParameterValue("keys", new long[] { 3, 1, 404 })]);

        var ids = (Int64Array)result.Batches.Single().Column(0);
        Assert.That(ids.Values.ToArray(), Is.EqualTo(new long[] { 1, 3 }));
    }

    [Test]
    public async Task QueryAsync_SingleKeyPrepared_RepeatsWithNewValues()
    {
        await using var source = Open();
        for (var id = 1L; id <= 3; id++)
        {
            var result = await source.ReadAllAsync("SELECT id FROM typed WHERE id = @id", [new SqlParameterValue("id", id)]);
            Assert.That(((Int64Array)result.Batches.Single().Column(0)).GetValue(0), Is.EqualTo(id));
        }
    }

    [Test]
    public async Task QueryAsync_SameStatementAgain_SameSchemaAndFreshValues()
    {
        await using var source = Open();
        var first = (await source.ReadAllAsync("SELECT id, label, flag FROM typed WHERE id = @id", [new SqlParameterValue("id", 1L)])).Batches.Single();
        var second = (await source.ReadAllAsync("SELECT id, label, flag FROM typed WHERE id = @id", [new SqlParameterValue("id", 3L)])).Batches.Single();

        // The second read reuses the statement's column layout: one schema, and its own rows (the first batch is not overwritten).
        Assert.That(second.Schema, Is.SameAs(first.Schema));
        Assert.That(((StringArray)first.Column(1)).GetString(0), Is.EqualTo("Zoë 🙂"));
        Assert.That(((StringArray)second.Column(1)).GetString(0), Is.EqualTo(""));
        Assert.That(((BooleanArray)second.Column(2)).GetValue(0), Is.False);
    }

    [Test]
    public async Task QueryAsync_TableChangedBetweenReads_ReadsTheNewColumnTypes()
    {
        await using (var connection = new NpgsqlConnection(TestServers.Postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("DROP TABLE IF EXISTS changing; CREATE TABLE changing (id bigint, v integer); INSERT INTO changing VALUES (1, 5);", connection);
            await create.ExecuteNonQueryAsync();
        }
        await using var source = Open();
        const string sql = "SELECT * FROM changing WHERE id = @id";
        var before = (await source.ReadAllAsync(sql, [new SqlParameterValue("id", 1L)])).Batches.Single();
        Assert.That(((Int32Array)before.Column(1)).GetValue(0), Is.EqualTo(5));

        await using (var connection = new NpgsqlConnection(TestServers.Postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var alter = new NpgsqlCommand("ALTER TABLE changing ALTER COLUMN v TYPE text USING 'five'", connection);
            await alter.ExecuteNonQueryAsync();
        }
        // On the connection that prepared the statement, PostgreSQL itself refuses it once ("cached plan must not change result
        // type"); the read after that prepares it again. Either way no batch may come with the old layout.
        RecordBatch after;
        try
        {
            after = (await source.ReadAllAsync(sql, [new SqlParameterValue("id", 1L)])).Batches.Single();
        }
        catch (DataSourceException e) when (e.Message.Contains("cached plan must not change result type"))
        {
            after = (await source.ReadAllAsync(sql, [new SqlParameterValue("id", 1L)])).Batches.Single();
        }

        Assert.That(ArrowExtensions.Types.ArrowTypes.Describe(after.Schema.GetFieldByName("v").DataType), Is.EqualTo("utf8"));
        Assert.That(((StringArray)after.Column(1)).GetString(0), Is.EqualTo("five"));
    }

    [Test]
    public async Task QueryAsync_ManyRows_SplitIntoBatchesOfTheConfiguredSize()
    {
        await using var source = new PostgresSource("accounts", TestServers.Postgres.ConnectionString, new PostgresSourceOptions { BatchRows = 1000 });

        var result = await source.ReadAllAsync("SELECT g AS n FROM generate_series(1, 2500) g", []);

        Assert.That(result.Batches.Select(b => b.Length), Is.EqualTo(new[] { 1000, 1000, 500 }));
        Assert.That(((Int32Array)result.Batches[2].Column(0)).GetValue(499), Is.EqualTo(2500));
    }

    [Test]
    public async Task QueryAsync_NoRows_YieldsOneEmptyBatchWithTheSchema()
    {
        await using var source = Open();

        var result = await source.ReadAllAsync("SELECT id, label, at_utc FROM typed WHERE false", []);

        Assert.That(result.Batches.Single().Length, Is.Zero);
        Assert.That(result.Schema.FieldsList.Select(f => f.DataType.TypeId), Is.EqualTo(new[] { ArrowTypeId.Int64, ArrowTypeId.String, ArrowTypeId.Timestamp }));
    }

    [Test]
    public async Task QueryAsync_BadQuery_ThrowsQueryFailedWithPostgresMessage()
    {
        await using var source = Open();

        var error = Assert.ThrowsAsync<DataSourceException>(() => source.ReadAllAsync("SELECT missing_column FROM typed", []));

        Assert.That(error!.ErrorKind, Is.EqualTo(DataSourceErrorKind.QueryFailed));
        Assert.That(error.SourceName, Is.EqualTo("accounts"));
        Assert.That(error.Message, Does.Contain("missing_column").And.Contain("42703"));
    }

    [Test]
    public async Task QueryAsync_UnsupportedColumnType_NamesColumnAndSaysToCast()
    {
        await using var source = Open();

        var error = Assert.ThrowsAsync<DataSourceException>(() => source.ReadAllAsync("SELECT ARRAY[1, 2] AS pair, point(1, 2) AS p", []));

        Assert.That(error!.ErrorKind, Is.EqualTo(DataSourceErrorKind.UnsupportedType));
        Assert.That(error.Message, Does.Contain("'pair'").And.Contain("cast it"));
    }

    [Test]
    public async Task QueryAsync_NumericTooPreciseForItsColumn_FailsNamingTheColumn()
    {
        await using var source = Open();

        var error = Assert.ThrowsAsync<DataSourceException>(() => source.ReadAllAsync("SELECT 0.0000000000000000001::numeric AS tiny", []));

        Assert.That(error!.ErrorKind, Is.EqualTo(DataSourceErrorKind.UnsupportedType));
        Assert.That(error.Message, Does.Contain("'tiny'").And.Contain("decimal128(38, 18)"));
    }

    [Test]
    public async Task QueryAsync_NothingListensOnThePort_ThrowsUnavailableNamingTheSource()
    {
        var port = TestSupport.Servers.LocalPorts.Free();
        await using var source = new PostgresSource("ledger", $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");

        var error = Assert.ThrowsAsync<DataSourceException>(() => source.ReadAllAsync("SELECT 1", []));

        Assert.That(error!.ErrorKind, Is.EqualTo(DataSourceErrorKind.Unavailable));
        Assert.That(error.Message, Does.StartWith("Data source 'ledger': the PostgreSQL server at 127.0.0.1:" + port).And.Contain("unreachable"));
    }
}
