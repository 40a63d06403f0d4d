using Dsl.Engine.Store.InProcess;

namespace Dsl.Engine.Store;

// The embedded Garnet's commands, run on an in-process session: the same MGET and SET … PX a remote server gets, encoded
// and decoded here, on the caller's thread. A query that finds everything in the store never leaves its thread.
public sealed partial class RedisOnlineStore
{
    private static ReadOnlySpan<byte> Ok => "OK"u8;

    private IReadOnlyList<StoredValue?> GetInProcess(EmbeddedGarnet garnet, IReadOnlyList<FeatureKey> keys)
    {
        var session = garnet.Sessions.Rent();
        try
        {
            var request = session.Request;
            request.Clear();
            request.Command(1 + keys.Count);
            request.Bulk("MGET"u8);
            for (var i = 0; i < keys.Count; i++) request.Key(_options.KeyPrefix, keys[i]);
            var reply = new RespReply(session.Run());
            var count = reply.ArrayLength();
            if (count != keys.Count) throw new RespReplyException($"{count} values for {keys.Count} keys");
            var result = new StoredValue?[count];
            for (var i = 0; i < count; i++)
            {
                if (reply.Bulk(out var value)) result[i] = StoredValueCodec.Decode(value);
            }
            return result;
        }
        finally
        {
            garnet.Sessions.Return(session);
        }
    }

    private void SetInProcess(EmbeddedGarnet garnet, List<FeatureWrite> stored)
    {
        var session = garnet.Sessions.Rent();
        try
        {
            var request = session.Request;
            request.Clear();
            foreach (var write in stored)
            {
                var expires = ExpiryMilliseconds(write.MaxStaleness);
                request.Command(expires is null ? 3 : 5);
                request.Bulk("SET"u8);
                request.Key(_options.KeyPrefix, write.Key);
                request.Value(write.Value, write.WrittenAt);
                if (expires is { } milliseconds)
                {
                    request.Bulk("PX"u8);
                    request.Bulk(milliseconds);
                }
            }
            var reply = new RespReply(session.Run());
            for (var i = 0; i < stored.Count; i++) reply.Simple(Ok);
        }
        finally
        {
            garnet.Sessions.Return(session);
        }
    }

    /// <summary>
    /// Runs an in-process call as a finished task: its failures as the task's (so callers see what a connection's call gives),
    /// a closed store or an error reply as <see cref="OnlineStoreUnavailableException"/>.
    /// </summary>
    private Task<T> InProcess<T>(Func<T> call, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<T>(cancellationToken);
        try
        {
            return Task.FromResult(call());
        }
        catch (Exception e) when (e is ObjectDisposedException or RespReplyException)
        {
            return Task.FromException<T>(new OnlineStoreUnavailableException(Description, $"unavailable: {e.Message}", e));
        }
        catch (Exception e) when (e is ArgumentException)
        {
            return Task.FromException<T>(e);
        }
    }
}
