using Garnet.networking;

namespace Dsl.Engine.Store.InProcess;

/// <summary>
/// One RESP session with a Garnet server of this process: a request is written into <see cref="Request"/>, run by
/// <see cref="Run"/> on the calling thread, and its replies read from what <see cref="Run"/> returns. One caller at a time.
/// </summary>
internal sealed unsafe class InProcessSession : IDisposable
{
    private readonly ReplyCapture _replies = new();
    private readonly IMessageConsumer _session;

    public InProcessSession(GarnetHost host) => _session = host.NewSession(_replies);

    /// <summary>The next request; cleared by the caller before it writes one.</summary>
    public RespRequest Request { get; } = new();

    /// <summary>Whether the session still takes requests (Garnet closes one after a protocol error).</summary>
    public bool Usable => !_replies.Closed;

    /// <summary>Runs every command of <see cref="Request"/> and returns their replies, valid until the next call.</summary>
    /// <exception cref="RespReplyException">Garnet did not take the whole request.</exception>
    public ReadOnlySpan<byte> Run()
    {
        _replies.Clear();
        var request = Request.Bytes;
        int taken;
        fixed (byte* bytes = request)
        {
            taken = _session.TryConsumeMessages(bytes, request.Length);
        }
        if (taken != request.Length || _replies.Closed)
            throw new RespReplyException($"the store took {taken} of the request's {request.Length} bytes{(_replies.Closed ? " and closed the session" : "")}");
        return _replies.Replies;
    }

    public void Dispose() => _session.Dispose();
}
