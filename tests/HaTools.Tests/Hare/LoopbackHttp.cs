using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace HaTools.Tests.Hare;

/// <summary>A loopback HTTP server that records what it got and answers as it is told (a Consul agent's answers).</summary>
internal sealed class LoopbackHttp : IDisposable
{
    private readonly HttpListener _http = new HttpListener();
    public readonly List<(string Method, string Path, string? Token, string Body)> Got = new();
    public int Port { get; }

    public LoopbackHttp(Func<string, string, string?, string, (int, string, long?)> answer)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _http.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _http.Start();
        _ = Task.Run(async () =>
        {
            while (_http.IsListening)
            {
                HttpListenerContext c;
                try { c = await _http.GetContextAsync(); } catch { return; }
                var body = new StreamReader(c.Request.InputStream).ReadToEnd();
                var path = c.Request.Url!.PathAndQuery;
                lock (Got) Got.Add((c.Request.HttpMethod, path, c.Request.Headers["X-Consul-Token"], body));
                var (code, text, index) = answer(c.Request.HttpMethod, path, c.Request.Headers["X-Consul-Token"], body);
                c.Response.StatusCode = code;
                if (index != null) c.Response.Headers["X-Consul-Index"] = index.Value.ToString();
                var bytes = Encoding.UTF8.GetBytes(text);
                c.Response.ContentLength64 = bytes.Length;
                c.Response.OutputStream.Write(bytes);
                c.Response.Close();
            }
        });
    }

    public void Dispose() { _http.Stop(); _http.Close(); }
}
