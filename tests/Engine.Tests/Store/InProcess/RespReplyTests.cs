using System.Text;
using Dsl.Engine.Store;
using Dsl.Engine.Store.InProcess;

namespace Dsl.Engine.Tests.Store.InProcess;

public sealed class RespReplyTests
{
    [Test]
    public void ArrayOfBulkStrings_NullsIncluded_ReadInOrder()
    {
        var reply = new RespReply("*3\r\n$3\r\nabc\r\n$-1\r\n$0\r\n\r\n"u8);

        Assert.That(reply.ArrayLength(), Is.EqualTo(3));
        Assert.That(reply.Bulk(out var first) ? Encoding.UTF8.GetString(first) : null, Is.EqualTo("abc"));
        Assert.That(reply.Bulk(out _), Is.False);
        Assert.That(reply.Bulk(out var empty) && empty.IsEmpty);
        Assert.That(reply.AtEnd);
    }

    [Test]
    public void BulkString_HoldingLineEnds_IsReadByItsLength()
    {
        var reply = new RespReply("$6\r\na\r\nb\r\n\r\n"u8);

        Assert.That(reply.Bulk(out var value) ? Encoding.UTF8.GetString(value) : null, Is.EqualTo("a\r\nb\r\n"));
    }

    [TestCase("-ERR wrong number of arguments\r\n", "ERR wrong number of arguments")]
    [TestCase("+QUEUED\r\n", "malformed reply: +QUEUED where +OK was expected")]
    [TestCase("+OK", "malformed reply: a line without its end")]
    [TestCase("", "malformed reply: the end of the reply")]
    [TestCase(":1\r\n", "malformed reply: ':' where '+' was expected")]
    public void Simple_OtherThanOk_ThrowsWhatWasFound(string bytes, string message)
    {
        var error = Assert.Throws<RespReplyException>(() => new RespReply(Encoding.UTF8.GetBytes(bytes)).Simple("OK"u8));

        Assert.That(error!.Message, Does.StartWith(message));
    }

    [TestCase("$5\r\nab\r\n")]
    [TestCase("$x\r\n")]
    [TestCase("$-2\r\n")]
    [TestCase("*-1\r\n")]
    public void Malformed_Throws(string bytes)
    {
        Assert.Throws<RespReplyException>(() =>
        {
            var reply = new RespReply(Encoding.UTF8.GetBytes(bytes));
            if (bytes[0] == '*') reply.ArrayLength();
            else reply.Bulk(out _);
        });
    }

    [Test]
    public void Request_WritesCommandsAsArraysOfBulkStrings()
    {
        var request = new RespRequest();
        request.Command(3);
        request.Bulk("SET"u8);
        request.Key("p:", FeatureKey.For("User", "é", "Name"));
        request.Bulk(-12L);
        request.Command(1);
        request.Bulk(""u8);

        Assert.That(Encoding.UTF8.GetString(request.Bytes), Is.EqualTo("*3\r\n$3\r\nSET\r\n$14\r\np:User:é:Name\r\n$3\r\n-12\r\n*1\r\n$0\r\n\r\n"));
        Assert.That(request.Commands, Is.EqualTo(2));
    }
}
