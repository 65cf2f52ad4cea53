using System.Net;
using System.Net.Sockets;

namespace LightNvr.Tests.Support;

/// <summary>
/// Free loopback ports for one test (TCP and UDP both free), so tests can run in parallel. They are
/// drawn below the kernel's ephemeral range (ip_local_port_range starts at 32768 here), because a
/// port handed out by bind(0) and released can be taken at once by an outgoing connection.
/// </summary>
public static class Ports
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Handed = [];
    private static readonly Random Draw = new();

    public static int Free()
    {
        lock (Gate)
        {
            while (true)
            {
                var port = Draw.Next(20000, 32000);
                if (Handed.Contains(port) || !Bindable(port)) continue;
                Handed.Add(port);
                return port;
            }
        }
    }

    private static bool Bindable(int port)
    {
        try
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Any, port));
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
