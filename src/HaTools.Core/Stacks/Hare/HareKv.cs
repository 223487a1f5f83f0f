using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.Hare;

/// <summary>One key of Consul's KV store with its raw (not base64) value.</summary>
public sealed class KvPair
{
    public KvPair(string key, string value) { Key = key; Value = value; }
    public string Key { get; }
    public string Value { get; }
    public override string ToString() => Key + "=" + Value;
}

/// <summary>
/// The KV layout HaTools imports before it starts the services: Hare's keys (H20 cfgen generate_consul_kv, rfc/4;
/// the named pools and profiles of H24), made from the cluster file alone, so the same file always gives the same
/// keys in the same order. Fids are Motr's <c>0x&lt;type&gt;00000000000001:0x&lt;key&gt;</c> with keys handed out in
/// file order by HaTools (profiles, pools, then each Motr process and its services); they are HaTools' own numbering,
/// not the one a cfgen run would give.
/// </summary>
public static class HareKv
{
    /// <summary>Motr's fixed endpoint prefix part (Hare writes <c>IP@tcp:12345:PORTAL:TMID</c>).</summary>
    public const int Pid = 12345;

    /// <summary>Consul service name → Motr service types of its process and the endpoint portal (Hare's name map:
    /// ha→hax, confd, ios→ioservice, m0_client_s3→s3server, other→m0_client). Other names are not Motr processes.</summary>
    private static readonly Dictionary<string, (string[] Types, int Portal)> MotrProcesses = new Dictionary<string, (string[], int)>(StringComparer.Ordinal)
    {
        ["hax"] = (new[] { "ha" }, 1),
        ["confd"] = (new[] { "rms", "confd" }, 2),
        ["ios"] = (new[] { "rms", "ios" }, 2),
        ["s3server"] = (new[] { "rms", "m0_client_s3" }, 3),
        ["m0_client"] = (new[] { "rms", "m0_client_other" }, 4),
    };

    public static bool IsMotrProcess(string serviceName) => MotrProcesses.ContainsKey(serviceName);

    /// <summary>Motr object type letters (fid containers): r process, p profile, o pool, s service.</summary>
    public static string Fid(char type, long key) =>
        "0x" + (((long)type << 56) + 1).ToString("x", CultureInfo.InvariantCulture) + ":0x" + key.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>The process fid of each Motr service of the file, as the KV layout numbers them (for <see cref="ConsulService.FidToken"/>).</summary>
    public static IReadOnlyDictionary<ConsulService, string> ProcessFids(ClusterSpec spec, IReadOnlyDictionary<string, string>? addresses = null) =>
        Layout(spec, addresses).Processes.ToDictionary(p => p.Service, p => Fid('r', p.Key));

    /// <summary>Each Motr service of the file with its process fid, process key and endpoint, in file order.</summary>
    public static IReadOnlyList<MotrProcess> Processes(ClusterSpec spec, IReadOnlyDictionary<string, string>? addresses = null) =>
        Layout(spec, addresses).Processes.Select(p => new MotrProcess(p.Service, Fid('r', p.Key), p.Key, p.Endpoint)).ToList();

    /// <summary>Every key, in a fixed order.</summary>
    /// <param name="addresses">Node name → the IP its Motr endpoints use (its data interface's, read on the node);
    /// a node not in it uses its address, which must then be an IP.</param>
    public static IReadOnlyList<KvPair> Generate(ClusterSpec spec, IReadOnlyDictionary<string, string>? addresses = null)
    {
        var l = Layout(spec, addresses);
        var kv = new List<KvPair>
        {
            new KvPair("epoch", "1"),
            // Empty until an RC leader holds it under a session; "elect<N>" means not elected (hare-bootstrap).
            new KvPair("leader", ""),
            new KvPair("last_fidk", l.LastKey.ToString(CultureInfo.InvariantCulture)),
        };
        if (l.Profiles.Count > 0)
        {
            var main = l.Profiles[0];
            kv.Add(new KvPair("m0conf/profiles", Fid('p', main.Key)));
            kv.Add(new KvPair("m0conf/profiles/pools", string.Join(" ", main.Pools.Select(p => Fid('o', l.PoolKeys[p])))));
            foreach (var p in l.Profiles)
                kv.Add(new KvPair("m0conf/profiles/" + Fid('p', p.Key),
                    "{\"name\":" + Json.Str(p.Name) + ",\"pools\":[" + string.Join(",", p.Pools.Select(Json.Str)) + "]}"));
            foreach (var pool in l.PoolKeys)
                kv.Add(new KvPair("m0conf/pools/" + Fid('o', pool.Value), pool.Key));
        }
        foreach (var p in l.Processes)
        {
            var prefix = $"m0conf/nodes/{p.Service.Node}/processes/{p.Key.ToString(CultureInfo.InvariantCulture)}";
            kv.Add(new KvPair(prefix + "/endpoint", p.Endpoint));
            foreach (var (type, key) in p.Services)
                kv.Add(new KvPair(prefix + "/services/" + type, key.ToString(CultureInfo.InvariantCulture)));
        }
        return kv;
    }

    /// <summary>The body of <c>consul kv import</c> (the format <c>consul kv export</c> writes): values base64.</summary>
    public static string ToImportJson(IEnumerable<KvPair> kv) =>
        "[\n" + string.Join(",\n", kv.Select(p => "  {\"key\":" + Json.Str(p.Key) + ",\"flags\":0,\"value\":" + Json.Str(B64(p.Value)) + "}")) + "\n]\n";

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private sealed class Process
    {
        public Process(ConsulService service, long key, string endpoint, List<(string, long)> services)
        {
            Service = service; Key = key; Endpoint = endpoint; Services = services;
        }
        public ConsulService Service { get; }
        public long Key { get; }
        public string Endpoint { get; }
        public List<(string Type, long Key)> Services { get; }
    }

    private sealed class Numbering
    {
        public List<(string Name, long Key, List<string> Pools)> Profiles { get; } = new List<(string, long, List<string>)>();
        public Dictionary<string, long> PoolKeys { get; } = new Dictionary<string, long>(StringComparer.Ordinal);
        public List<Process> Processes { get; } = new List<Process>();
        public long LastKey { get; set; }
    }

    private static Numbering Layout(ClusterSpec spec, IReadOnlyDictionary<string, string>? addresses)
    {
        var s = spec.Section<ConsulSection>();
        var l = new Numbering();
        long next = 0;
        // Without profiles: one 'default' profile of every pool (Hare G2 does the same).
        var profiles = s.Profiles.Count > 0 ? s.Profiles.Select(p => (p.Name, p.Pools.ToList())).ToList()
            : s.Pools.Count > 0 ? new List<(string, List<string>)> { ("default", s.Pools.Select(p => p.Name).ToList()) }
            : new List<(string, List<string>)>();
        foreach (var (name, pools) in profiles) l.Profiles.Add((name, ++next, pools));
        foreach (var pool in s.Pools) l.PoolKeys[pool.Name] = ++next;
        var tmids = new Dictionary<(string, int), int>();
        foreach (var svc in s.Services)
        {
            if (!MotrProcesses.TryGetValue(svc.Name, out var motr)) continue;
            var node = spec.Nodes.First(n => string.Equals(n.Name, svc.Node, StringComparison.OrdinalIgnoreCase));
            var ip = addresses != null && addresses.TryGetValue(node.Name, out var read) ? read : node.Address;
            if (!System.Net.IPAddress.TryParse(ip, out _))
                throw new Model.HaException($"node '{svc.Node}': its Motr endpoints need an IP: the one of its data interface ({node.DataIface ?? "none given"}) is read on the node at bootstrap; offline, give the node an IP address") { Target = svc.Node };
            tmids.TryGetValue((ip, motr.Portal), out var tmid);
            tmids[(ip, motr.Portal)] = ++tmid;
            var key = ++next;
            var types = motr.Types.AsEnumerable();
            if (svc.Name == "confd" && svc.Disks.Count > 0) types = types.Concat(new[] { "ios" });
            var services = types.Select(t => (t, ++next)).ToList();
            l.Processes.Add(new Process(svc, key, $"{ip}@tcp:{Pid}:{motr.Portal}:{tmid}", services));
        }
        l.LastKey = next;
        return l;
    }
}

/// <summary>One Motr process of the file: the service that runs it, its fid, its key and its endpoint.</summary>
public sealed class MotrProcess
{
    public MotrProcess(ConsulService service, string fid, long key, string endpoint) { Service = service; Fid = fid; Key = key; Endpoint = endpoint; }
    public ConsulService Service { get; }
    /// <summary>0x7200000000000001:0xKEY</summary>
    public string Fid { get; }
    public long Key { get; }
    /// <summary>IP@tcp:12345:PORTAL:TMID</summary>
    public string Endpoint { get; }
}

/// <summary>The little JSON HaTools writes itself (KV bodies): strings escaped per RFC 8259.</summary>
internal static class Json
{
    public static string Str(string s)
    {
        var b = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else b.Append(c);
                    break;
            }
        }
        return b.Append('"').ToString();
    }
}
