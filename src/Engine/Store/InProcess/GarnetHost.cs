using Garnet;
using Garnet.networking;
using Garnet.server;

namespace Dsl.Engine.Store.InProcess;

/// <summary>
/// A Garnet server that also hands out sessions speaking RESP inside this process: the same store its loopback port serves,
/// without a socket, a system call or a thread hop per command.
/// </summary>
/// <remarks>
/// Garnet keeps the store behind <c>GarnetServer</c>'s protected <c>storeWrapper</c>; its public <see cref="GarnetProvider"/>
/// over that store makes the same sessions its TCP handler makes per connection. This provider is never disposed: its
/// <c>Dispose</c> would dispose the store, which the server does when it stops.
/// </remarks>
internal sealed class GarnetHost : GarnetServer
{
    private readonly GarnetProvider _sessions;

    public GarnetHost(string[] commandLineArguments) : base(commandLineArguments) => _sessions = new GarnetProvider(storeWrapper);

    /// <summary>A new session whose replies go to <paramref name="replies"/>; one caller at a time.</summary>
    public IMessageConsumer NewSession(INetworkSender replies) => _sessions.GetSession(WireFormat.ASCII, replies);
}
