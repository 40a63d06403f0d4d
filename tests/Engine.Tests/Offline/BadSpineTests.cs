using Apache.Arrow;
using Dsl.Engine.Values;

namespace Dsl.Engine.Tests.Offline;

/// <summary>Malformed spines and outputs fail before any work, with a message naming the column or feature.</summary>
public sealed class BadSpineTests
{
    private static readonly DateTime Base = OfflineShop.Base;

    private static Task<Dsl.Engine.Offline.OfflineResult> Query(RecordBatch spine, params string[] outputs) =>
        OfflineShop.Create([], []).Engine(offline: false).OfflineQueryAsync(spine, outputs.Length == 0 ? ["user.total_spend"] : outputs);

    private static RecordBatch Spine(params (string Name, Type Type, object?[] Values)[] columns) =>
        ArrowColumns.Batch([.. columns.Select(c => (c.Name, c.Type, (IReadOnlyList<object?>)c.Values))], columns[0].Values.Length);

    [Test]
    public void A_missing_key_column_is_named() =>
        Assert.That(Assert.ThrowsAsync<QueryException>(() => Query(Spine(("account", typeof(long), [1L]), ("ts", typeof(DateTime), [Base]))))!.Message,
            Does.Contain("no key column for User.Id").And.Contain("account, ts"));

    [Test]
    public void A_null_timestamp_is_named_with_its_row() =>
        Assert.That(Assert.ThrowsAsync<QueryException>(() => Query(Spine(("user_id", typeof(long), [1L, 2L]), ("ts", typeof(DateTime), [Base, null]))))!.Message,
            Does.Contain("time column 'ts' has a null at row 1"));

    [Test]
    public void A_key_of_the_wrong_type_is_named() =>
        Assert.That(Assert.ThrowsAsync<QueryException>(() => Query(Spine(("user_id", typeof(string), ["1"]), ("ts", typeof(DateTime), [Base]))))!.Message,
            Does.Contain("key column 'user_id' is utf8, but User.Id is Int64"));

    [Test]
    public void A_time_column_that_is_not_a_timestamp_is_named() =>
        Assert.That(Assert.ThrowsAsync<QueryException>(() => Query(Spine(("user_id", typeof(long), [1L]), ("ts", typeof(long), [5L]))))!.Message,
            Does.Contain("no timestamp column"));

    [Test]
    public void An_unknown_feature_is_named() =>
        Assert.That(Assert.ThrowsAsync<QueryException>(() => Query(Spine(("user_id", typeof(long), [1L]), ("ts", typeof(DateTime), [Base])), "user.total_spendd"))!.Message,
            Does.Contain("'user.total_spendd' names no feature of User"));

    [Test]
    public void A_null_key_is_named() =>
        Assert.That(Assert.ThrowsAsync<QueryException>(() => Query(Spine(("user_id", typeof(long), [null]), ("ts", typeof(DateTime), [Base]))))!.Message,
            Does.Contain("key column 'user_id' has a null at row 0"));
}
