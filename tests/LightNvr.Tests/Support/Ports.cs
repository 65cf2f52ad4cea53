using System.Net;
using System.Net.Sockets;

namespace LightNvr.Tests.Support;

/// <summary>Free loopback ports for one test (TCP and UDP both free), so tests can run in parallel.</summary>
public static class Ports
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Handed = [];

    public static int Free()
    {
        lock (Gate)
        {
            while (true)
            {
                using var tcp = new TcpListener(IPAddress.Any, 0);
                tcp.Start();
                var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
                try
                {
                    using var udp = new UdpClient(port);
                }
                catch (SocketException)
                {
                    continue;
                }
                if (Handed.Add(port)) return port;
            }
        }
    }
}
