namespace Dsl.TestSupport.Servers;

/// <summary>
/// A server of a test's own: a temporary directory for its data, a free port of 127.0.0.1, stopped and its directory deleted
/// when disposed or when the test process exits (a test that forgets to dispose leaves nothing running).
/// </summary>
public abstract class LocalServer : IDisposable
{
    private int _disposed;

    protected LocalServer(string directoryPrefix)
    {
        WorkDirectory = Directory.CreateTempSubdirectory(directoryPrefix).FullName;
        Port = LocalPorts.Free();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The server's temporary directory (its data, logs and sockets).</summary>
    protected string WorkDirectory { get; }

    /// <summary>Starts the server (again after <see cref="Stop"/>), on the same port with the same data.</summary>
    public abstract void Resume();

    /// <summary>Stops the server and waits until it is gone.</summary>
    public abstract void Stop();

    /// <summary>Stops the server and deletes its directory (once).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Stop();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temporary directory: nothing depends on it.
        }
        GC.SuppressFinalize(this);
    }
}
