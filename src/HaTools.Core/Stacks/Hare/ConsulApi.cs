using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>One request to a Consul agent's HTTP API (<c>/v1/…</c>), made on the node itself.</summary>
public sealed class ConsulRequest
{
    internal ConsulRequest(string method, string path, string? body = null)
    {
        Method = method;
        Path = path;
        Body = body;
    }

    public string Method { get; }
    /// <summary>Path and query, already encoded (<see cref="ConsulPaths"/> builds them).</summary>
    public string Path { get; }
    /// <summary>The request body (JSON, or a raw KV value); travels on stdin, never in argv.</summary>
    public string? Body { get; }

    public override string ToString() => Method + " " + Path;
}

/// <summary>What the agent answered: HTTP status (0 when no connection could be made), body, X-Consul-Index.</summary>
public sealed class ConsulResponse
{
    public int Code { get; set; }
    public string Body { get; set; } = "";
    /// <summary>X-Consul-Index (for blocking queries); 0 when absent.</summary>
    public long Index { get; set; }
    /// <summary>curl's exit code: 0, 7 (could not connect: no agent listens), 28 (timed out) …</summary>
    public int CurlExit { get; set; }

    public bool Ok => Code >= 200 && Code < 300;
    /// <summary>No agent answered on the node's loopback (not started, still starting, or died).</summary>
    public bool NoAgent => Code == 0;
}

/// <summary>
/// The node side of HaTools' Consul calls: one POSIX script that sends the requests with curl to the agent on the
/// node's loopback (<c>client_addr</c> is 127.0.0.1, so no port is opened for HaTools) and prints, per request, a
/// header line <c>HTTP CODE BYTES INDEX CURLEXIT</c>, the body (exactly BYTES bytes) and a newline; its last line is
/// <c>DONE</c>. The first line of stdin is the ACL token (empty when there is none): the script writes it into a
/// 0600 header file that curl reads (<c>--header @FILE</c>, curl 7.55+), with the shell's builtin printf, so the token
/// is in no argv on the node or here. The rest of stdin is the body of the one request that has one.
/// Why curl over the HTTP API and not the <c>consul</c> CLI: JSON everywhere (the CLI prints text for people), the
/// exact status codes (500 "No cluster leader" is an answer, not a failure of the command), transactions and
/// sessions that the CLI does not offer, and the token never needs CONSUL_HTTP_TOKEN in an environment.
/// </summary>
public static class ConsulApi
{
    internal const string Script = @"set -u
port=$1; secs=$2; shift 2
command -v curl >/dev/null 2>&1 || { echo 'curl is not installed on this node' >&2; exit 5; }
umask 077
IFS= read -r token || token=''
dir=$(mktemp -d) || exit 3
trap 'rm -rf ""$dir""' EXIT
if [ -n ""$token"" ]; then printf 'X-Consul-Token: %s\n' ""$token"" > ""$dir/h""; else echo 'Accept: application/json' > ""$dir/h""; fi
while [ $# -ge 2 ]; do
  method=$1; path=$2; shift 2
  src=/dev/null; [ ""$method"" = GET ] || src=-
  rm -f ""$dir/b"" ""$dir/r""; rc=0
  code=$(curl --silent --show-error --max-time ""$secs"" --request ""$method"" --header ""@$dir/h"" --data-binary ""@$src"" \
    --dump-header ""$dir/r"" --output ""$dir/b"" --write-out '%{http_code}' ""http://127.0.0.1:$port$path"" 2>""$dir/e"") || rc=$?
  if [ ""$rc"" -ne 0 ]; then code=000; cp ""$dir/e"" ""$dir/b""; fi
  [ -f ""$dir/b"" ] || : > ""$dir/b""
  idx=$(sed -n 's/^[Xx]-[Cc]onsul-[Ii]ndex:[[:space:]]*\([0-9][0-9]*\).*/\1/p' ""$dir/r"" 2>/dev/null | tail -n 1)
  echo ""HTTP $code $(wc -c < ""$dir/b"" | tr -d ' ') ${idx:--} $rc""
  cat ""$dir/b""; echo
done
echo DONE
";

    /// <summary>How long curl may take for one request (a blocking query's wait must stay below it).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    private static readonly Regex SafePath = new Regex(@"\A/v1/[A-Za-z0-9._~/:@%?&=,-]*\z", RegexOptions.CultureInvariant);
    private static readonly string[] Methods = { "GET", "PUT", "DELETE" };

    /// <summary>The argv for <paramref name="requests"/> (at most one that is not a GET), sent to the agent on <paramref name="port"/>.</summary>
    public static string[] Argv(int port, IReadOnlyList<ConsulRequest> requests, TimeSpan? perRequest = null)
    {
        if (port < 1 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port));
        if (requests.Count == 0) throw new ArgumentException("no request", nameof(requests));
        if (requests.Count(r => r.Method != "GET") > 1) throw new ArgumentException("at most one request that writes (its body comes on stdin)", nameof(requests));
        var secs = (long)Math.Ceiling((perRequest ?? RequestTimeout).TotalSeconds);
        var argv = new List<string> { "sh", "-c", Script, "sh", port.ToString(CultureInfo.InvariantCulture), secs.ToString(CultureInfo.InvariantCulture) };
        foreach (var r in requests)
        {
            if (!Methods.Contains(r.Method)) throw new ArgumentException($"method {r.Method}", nameof(requests));
            if (!SafePath.IsMatch(r.Path)) throw new HaException($"unsafe Consul API path '{Names.Printable(r.Path)}'") { Target = r.Path };
            argv.Add(r.Method);
            argv.Add(r.Path);
        }
        return argv.ToArray();
    }

    /// <summary>stdin: the token line (empty without a token), then the body of the request that has one.</summary>
    public static byte[] Stdin(string? token, IReadOnlyList<ConsulRequest> requests)
    {
        if (token != null && ConsulSecrets.TokenProblem(token) is { } why) throw new HaException(why);
        return Encoding.UTF8.GetBytes((token ?? "") + "\n" + (requests.FirstOrDefault(r => r.Method != "GET")?.Body ?? ""));
    }

    /// <summary>Reads the script's output: one response per request, in order.</summary>
    public static IReadOnlyList<ConsulResponse> Parse(string stdout, int expected)
    {
        var bytes = Encoding.UTF8.GetBytes(stdout ?? "");
        var list = new List<ConsulResponse>();
        var at = 0;
        while (list.Count < expected)
        {
            var line = ReadLine(bytes, ref at) ?? throw Bad($"{list.Count} of {expected} answers, then the output ended");
            var f = line.Split(' ');
            if (f.Length != 5 || f[0] != "HTTP" || !int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                || !int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || !int.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out var rc))
                throw Bad($"not an answer line: '{Names.Printable(line)}'");
            if (at + n + 1 > bytes.Length || bytes[at + n] != (byte)'\n') throw Bad($"an answer of {n} bytes was cut");
            var body = Encoding.UTF8.GetString(bytes, at, n);
            at += n + 1;
            list.Add(new ConsulResponse
            {
                Code = code,
                Body = body,
                Index = long.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out var idx) ? idx : 0,
                CurlExit = rc,
            });
        }
        if (ReadLine(bytes, ref at) != "DONE") throw Bad("no DONE after the answers");
        return list;
    }

    private static string? ReadLine(byte[] b, ref int at)
    {
        if (at >= b.Length) return null;
        var end = Array.IndexOf(b, (byte)'\n', at);
        if (end < 0) end = b.Length;
        var s = Encoding.UTF8.GetString(b, at, end - at);
        at = end + 1;
        return s;
    }

    private static HareOutputException Bad(string what) => new HareOutputException("cannot read the Consul API answers: " + what);
}

/// <summary>Paths of the Consul HTTP API endpoints HaTools uses (as documented in HashiCorp's api-docs), with every
/// name checked and every KV key percent-encoded.</summary>
public static class ConsulPaths
{
    private static readonly Regex SessionId = new Regex(@"\A[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\z", RegexOptions.CultureInvariant);

    public static ConsulRequest StatusLeader() => Get("/v1/status/leader");
    public static ConsulRequest StatusPeers() => Get("/v1/status/peers");
    public static ConsulRequest Members() => Get("/v1/agent/members");
    public static ConsulRequest AgentSelf() => Get("/v1/agent/self");
    public static ConsulRequest Reload() => new ConsulRequest("PUT", "/v1/agent/reload", "");
    /// <summary>Every check of the datacenter (node checks such as serfHealth, and service checks).</summary>
    public static ConsulRequest HealthAny() => Get("/v1/health/state/any");

    public static ConsulRequest KvGet(string key) => Get("/v1/kv/" + Key(key));
    public static ConsulRequest KvTree(string prefix) => Get("/v1/kv/" + Key(prefix) + "?recurse");
    /// <summary>The keys and "folders" one level below the root (<c>?keys&amp;separator=/</c>): small even when the
    /// queues under eq/ and bq/ are long.</summary>
    public static ConsulRequest KvTopLevel() => Get("/v1/kv/?keys&separator=/");

    /// <summary><c>PUT /v1/kv/KEY?acquire=SESSION</c>: takes the key's lock and writes <paramref name="value"/>; answers true or false.</summary>
    public static ConsulRequest KvAcquire(string key, string session, string value) =>
        new ConsulRequest("PUT", "/v1/kv/" + Key(key) + "?acquire=" + Session(session), value);

    /// <summary><c>PUT /v1/kv/KEY?release=SESSION</c>: gives the lock back and writes <paramref name="value"/>.</summary>
    public static ConsulRequest KvRelease(string key, string session, string value) =>
        new ConsulRequest("PUT", "/v1/kv/" + Key(key) + "?release=" + Session(session), value);

    /// <summary><c>PUT /v1/kv/KEY[?cas=INDEX]</c> (cas=0: only when the key does not exist); answers true or false.</summary>
    public static ConsulRequest KvPut(string key, string value, long? cas = null) =>
        new ConsulRequest("PUT", "/v1/kv/" + Key(key) + (cas is long i ? "?cas=" + (i >= 0 ? i : throw new ArgumentOutOfRangeException(nameof(cas))).ToString(CultureInfo.InvariantCulture) : ""), value);
    public static ConsulRequest KvDelete(string key) => new ConsulRequest("DELETE", "/v1/kv/" + Key(key));

    /// <summary><c>PUT /v1/txn</c>: the operations (JSON) applied atomically (200) or not at all (409).</summary>
    public static ConsulRequest Txn(string body) => new ConsulRequest("PUT", "/v1/txn", body);

    public static ConsulRequest SessionCreate(string body) => new ConsulRequest("PUT", "/v1/session/create", body);
    public static ConsulRequest SessionInfo(string session) => Get("/v1/session/info/" + Session(session));
    public static ConsulRequest SessionDestroy(string session) => new ConsulRequest("PUT", "/v1/session/destroy/" + Session(session), "");

    private static ConsulRequest Get(string path) => new ConsulRequest("GET", path);

    /// <summary>A session id as Consul makes them (a UUID).</summary>
    public static string Session(string id) =>
        id != null && SessionId.IsMatch(id) ? id : throw new HaException($"invalid Consul session id '{Names.Printable(id)}'") { Target = id };

    /// <summary>A KV key: printable, no leading '/', percent-encoded except for the characters a path keeps as they are.</summary>
    public static string Key(string key)
    {
        if (key == null || key.StartsWith("/", StringComparison.Ordinal) || key.Any(char.IsControl) || key.Length > 512)
            throw new HaException($"invalid Consul KV key '{Names.Printable(key)}'") { Target = key };
        var b = new StringBuilder();
        foreach (var by in Encoding.UTF8.GetBytes(key))
        {
            var c = (char)by;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '.' || c == '_' || c == '-' || c == '~' || c == ':' || c == '@')
                b.Append(c);
            else b.Append('%').Append(by.ToString("X2", CultureInfo.InvariantCulture));
        }
        return b.ToString();
    }
}
