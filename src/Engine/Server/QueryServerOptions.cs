namespace Dsl.Engine.Server;

/// <summary>Settings of a <see cref="QueryServer"/>.</summary>
public sealed record QueryServerOptions
{
    /// <summary>The loopback port to listen on; 0 (the default) asks the system for a free one.</summary>
    public int Port { get; init; }

    /// <summary>The largest request body accepted (64 KiB by default); a larger one is a 400.</summary>
    public int MaxBodyBytes { get; init; } = 64 * 1024;
}
