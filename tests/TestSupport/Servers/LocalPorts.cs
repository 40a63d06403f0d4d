using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Dsl.TestSupport.Servers;

/// <summary>Free loopback ports, readiness checks and signals for the servers tests start.</summary>
public static partial class LocalPorts
{
    /// <summary>A port of 127.0.0.1 nothing listens on now (the OS's choice).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Sends signal <paramref name="signal"/> (2 = SIGINT, 15 = SIGTERM) to process <paramref name="pid"/>; false when it is gone.</summary>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>Whether process <paramref name="pid"/> still exists.</summary>
    public static bool IsAlive(int pid) => Kill(pid, 0) == 0;

    /// <summary>Waits until <paramref name="condition"/> holds, checking every 50 ms; false on timeout.</summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(50);
        }
        return true;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
