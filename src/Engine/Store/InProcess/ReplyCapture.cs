using System.Runtime.CompilerServices;
using Garnet.networking;

namespace Dsl.Engine.Store.InProcess;

/// <summary>
/// Where an in-process Garnet session writes its replies: one pinned buffer the session fills, copied out each time the
/// session sends (it sends when the buffer is full and when a request is done), so a reply of any size is kept whole.
/// </summary>
/// <remarks>
/// Garnet calls this the network sender; here nothing goes to a network. The session writes between
/// <see cref="GetResponseObjectHead"/> and <see cref="GetResponseObjectTail"/>, then calls <see cref="SendResponse(int, int)"/>
/// with the range it wrote, relative to the head.
/// </remarks>
internal sealed unsafe class ReplyCapture : INetworkSender
{
    private readonly MaxSizeSettings _sizes = new();
    private readonly byte[] _buffer;
    private readonly byte* _head;
    private byte[] _replies = new byte[4096];
    private int _length;

    public ReplyCapture()
    {
        _buffer = GC.AllocateArray<byte>(BufferSizeUtils.ServerBufferSize(_sizes), pinned: true);
        _head = (byte*)Unsafe.AsPointer(ref _buffer[0]);
    }

    /// <summary>The replies written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Replies => _replies.AsSpan(0, _length);

    /// <summary>Forgets the replies kept so far, before the next request.</summary>
    public void Clear() => _length = 0;

    public bool SendResponse(int offset, int size)
    {
        if (offset < 0 || size < 0 || offset > _buffer.Length - size)
            throw new InvalidOperationException($"Garnet sent bytes {offset}..{offset + size} of a {_buffer.Length}-byte reply buffer.");
        if (_replies.Length - _length < size) Array.Resize(ref _replies, Math.Max(_replies.Length * 2, _length + size));
        _buffer.AsSpan(offset, size).CopyTo(_replies.AsSpan(_length));
        _length += size;
        return true;
    }

    public MaxSizeSettings GetMaxSizeSettings => _sizes;

    public string RemoteEndpointName => "in-process";

    public string LocalEndpointName => "in-process";

    public bool IsLocalConnection() => true;

    public void EnterAndGetResponseObject(out byte* head, out byte* tail)
    {
        head = _head;
        tail = _head + _buffer.Length;
    }

    public byte* GetResponseObjectHead() => _head;

    public byte* GetResponseObjectTail() => _head + _buffer.Length;

    // The buffer is reused in place after each send: nothing to take or give back, no lock (one caller per session).
    public void Enter() { }

    public void Exit() { }

    public void ExitAndReturnResponseObject() { }

    public void GetResponseObject() { }

    public void ReturnResponseObject() { }

    public void SendResponse(byte[] buffer, int offset, int count, object context) =>
        throw new NotSupportedException("An in-process Garnet session sends from its own buffer only.");

    public void SendCallback(object context) { }

    public void Throttle() { }

    public bool TryClose() => false;

    /// <summary>Whether the session gave up on its connection (it does after a protocol error): it takes no more requests.</summary>
    public bool Closed { get; private set; }

    public void DisposeNetworkSender(bool waitForSendCompletion) => Closed = true;

    public void Dispose() { }
}
