namespace Dsl.Codegen.Tests;

[TestFixture]
public sealed class RowErrorSinkTests
{
    [Test]
    public void Errors_RecordedOutOfOrderFromThreads_AreSortedByRow()
    {
        var sink = new RowErrorSink();
        Parallel.For(0, 200, row => sink.Record(199 - row, new DivideByZeroException()));
        var errors = sink.Errors;
        Assert.That(errors.Select(e => e.Row), Is.EqualTo(Enumerable.Range(0, 200)));
        Assert.That(errors[0].ExceptionType, Is.EqualTo("System.DivideByZeroException"));
        Assert.That(sink.Count, Is.EqualTo(200));
    }
}
