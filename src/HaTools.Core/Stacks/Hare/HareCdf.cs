using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Spec.Reading;
using HaTools.Core.Spec.Yaml;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>What a Hare CDF turned into: the cluster file's model and its text (validated), with a summary.</summary>
public sealed class HareCdfConversion
{
    public string Source { get; set; } = "";
    public string Cluster { get; set; } = "";
    public List<string> Nodes { get; set; } = new List<string>();
    public List<string> Servers { get; set; } = new List<string>();
    public int Services { get; set; }
    public List<string> Pools { get; set; } = new List<string>();
    /// <summary>The cluster file's text, exactly as it is (or would be) written.</summary>
    public string Yaml { get; set; } = "";
}

/// <summary>
/// Reads Hare's cluster description file (CDF, the G1 schema of <c>cfgen --help-schema</c>: <c>nodes: [{hostname,
/// data_iface, data_iface_type?, m0_servers: [{runs_confd?, io_disks}], m0_clients: {s3, other}}]</c>, <c>pools:
/// [{name, disks, data_units, parity_units, allowed_failures?}]</c>, plus G3's optional <c>data_iface_ip_addr</c>) with
/// cfgen's checks, every one reported at once as file:line:col, and converts it to a <c>stack: consul</c> cluster file.
/// </summary>
public static class HareCdf
{
    /// <summary>cfgen's build_cluster refuses these in a Consul agent name, although the schema documents [user@]host.</summary>
    private static readonly Regex AgentNameForbidden = new Regex("[\",= @]", RegexOptions.CultureInvariant);

    public static HareCdfConversion Convert(string cdfPath, string? clusterName = null)
    {
        var problems = new ProblemList(cdfPath ?? "");
        var text = ReadText(cdfPath ?? "", problems);
        var root = text == null ? null : YamlTreeBuilder.Build(text.TrimStart('\uFEFF'), problems);
        var ctx = new ReadContext(problems);
        var cdf = root == null ? null : Read(root, ctx);
        var name = clusterName ?? DefaultName(cdfPath ?? "");
        if (SpecRules.NameProblem(name, SpecRules.ClusterNameMax) is string bad)
            problems.Error(problems.At(0, 0), "name", SpecCodes.BadName, $"invalid cluster name '{Names.Printable(name)}': {bad} (give one with -Name / --name)");
        if (problems.HasErrors || cdf == null)
            throw new SpecException(problems.Items.Where(p => p.Severity == Severity.Error).OrderBy(p => p.Line).ThenBy(p => p.Column).ToList());
        var spec = ToSpec(cdf, name);
        var yaml = "# Converted by HaTools from the Hare CDF " + System.IO.Path.GetFileName(cdfPath) + ".\n" + SpecWriter.ToYaml(spec);
        SpecLoader.LoadText(yaml, "(converted " + cdfPath + ")"); // what is written must read back
        var s = spec.Section<ConsulSection>();
        return new HareCdfConversion
        {
            Source = cdfPath ?? "",
            Cluster = name,
            Nodes = spec.Nodes.Select(n => n.Name).ToList(),
            Servers = s.Consul.Servers.ToList(),
            Services = s.Services.Count,
            Pools = s.Pools.Select(p => p.Name).ToList(),
            Yaml = yaml,
        };
    }

    private static string DefaultName(string path)
    {
        var n = System.IO.Path.GetFileNameWithoutExtension(path);
        return n.EndsWith("-cdf", System.StringComparison.Ordinal) ? n.Substring(0, n.Length - 4) : n;
    }

    private static string? ReadText(string path, ProblemList problems)
    {
        try
        {
            if (!File.Exists(path)) { problems.Error(problems.At(0, 0), YamlTreeBuilder.FileField, SpecCodes.NoFile, "file not found"); return null; }
            if (new FileInfo(path).Length > SpecLoader.MaxFileBytes) { problems.Error(problems.At(0, 0), YamlTreeBuilder.FileField, SpecCodes.TooLarge, "a CDF is limited to 1 MiB"); return null; }
            return File.ReadAllText(path);
        }
        catch (System.Exception e) when (e is IOException || e is System.UnauthorizedAccessException || e is System.ArgumentException || e is System.NotSupportedException)
        {
            problems.Error(problems.At(0, 0), YamlTreeBuilder.FileField, SpecCodes.Unreadable, "cannot read the file: " + Names.Printable(e.Message));
            return null;
        }
    }

    private sealed class CdfNode
    {
        public string Host = "", Iface = "";
        public string? Ip;
        public YNode HostNode = null!;
        public List<(bool Confd, List<string> Disks)> Servers = new List<(bool, List<string>)>();
        public int S3, Other;
    }

    private sealed class CdfPool
    {
        public string Name = "";
        public int Data, Parity;
    }

    private sealed class Cdf
    {
        public List<CdfNode> Nodes = new List<CdfNode>();
        public List<CdfPool> Pools = new List<CdfPool>();
    }

    private static Cdf? Read(YNode root, ReadContext ctx)
    {
        if (root is not YMap)
        {
            ctx.Error(root, YamlTreeBuilder.FileField, SpecCodes.WrongType, "a CDF is a mapping with nodes: and pools: at the top level, found " + ReadContext.Describe(root));
            return null;
        }
        var cdf = new Cdf();
        var top = ctx.Map(root, "", null, "nodes", "pools")!;
        var hosts = new Dictionary<string, YNode>(System.StringComparer.OrdinalIgnoreCase);
        var ips = new Dictionary<string, YNode>(System.StringComparer.Ordinal);
        var confds = 0;
        var disks = 0;
        var nodes = top.Seq("nodes", required: true);
        if (nodes != null && nodes.Items.Count == 0) top.Error("nodes", SpecCodes.Missing, "at least one node is required");
        foreach (var (item, path, _) in ReadContext.Items(nodes, top.Field("nodes")))
        {
            var n = new CdfNode();
            var r = ctx.Map(item, path, null, "hostname", "data_iface", "data_iface_type", "data_iface_ip_addr", "m0_servers", "m0_clients");
            if (r == null) continue;
            n.HostNode = r.Node.Get("hostname") ?? r.Node;
            var host = r.Str("hostname", required: true);
            if (host != null)
            {
                if (AgentNameForbidden.IsMatch(host))
                    ctx.Error(n.HostNode, r.Field("hostname"), SpecCodes.BadName, $"hostname '{Names.Printable(host)}' is also the Consul agent name, which may not hold any of \" , = space @ (cfgen refuses [user@]host)");
                else if (ctx.Name(n.HostNode, r.Field("hostname"), "hostname") is string h && SpecRules.NameProblem(h) == null)
                {
                    n.Host = h;
                    if (hosts.TryGetValue(h, out var first))
                        ctx.Error(n.HostNode, r.Field("hostname"), SpecCodes.DuplicateName, $"node names ('hostname' values) are not unique: '{Names.Printable(h)}' is also at line {first.Line}");
                    else hosts[h] = n.HostNode;
                }
            }
            n.Iface = r.Checked("data_iface", s => SpecRules.Interface.IsMatch(s) ? null : $"invalid interface name '{Names.Printable(s)}'", SpecCodes.BadName, required: true) ?? "";
            if (r.Enum("data_iface_type", new[] { "tcp", "o2ib" }) == "o2ib")
                r.Error("data_iface_type", SpecCodes.BadValue, "o2ib (InfiniBand) endpoints are not supported by HaTools yet; only tcp");
            n.Ip = r.Checked("data_iface_ip_addr", a => System.Net.IPAddress.TryParse(a, out _) && SpecRules.AddressProblem(a) == null ? null : $"invalid IP address '{Names.Printable(a)}'", SpecCodes.BadValue);
            if (n.Ip != null)
            {
                if (ips.TryGetValue(n.Ip, out var firstIp))
                    r.Error("data_iface_ip_addr", SpecCodes.DuplicateAddress, $"IP addresses are not unique: {n.Ip} is also at line {firstIp.Line}");
                else ips[n.Ip] = r.Node.Get("data_iface_ip_addr")!;
            }
            var nodeConfd = (YNode?)null;
            var nodeDisks = new Dictionary<string, YNode>(System.StringComparer.Ordinal);
            foreach (var (si, sp, _) in ReadContext.Items(r.Seq("m0_servers", required: true), r.Field("m0_servers")))
            {
                var sr = ctx.Map(si, sp, null, "runs_confd", "io_disks");
                if (sr == null) continue;
                var confd = sr.Bool("runs_confd") ?? false;
                var list = new List<string>();
                foreach (var (d, dp, _) in ReadContext.Items(sr.Seq("io_disks", required: true), sr.Field("io_disks")))
                {
                    var t = ctx.Text(d, dp);
                    if (t == null) continue;
                    if (SpecRules.DevicePathProblem(t) is string dpb) { ctx.Error(d, dp, SpecCodes.BadValue, dpb); continue; }
                    if (nodeDisks.TryGetValue(t, out var firstDisk))
                        ctx.Error(d, dp, SpecCodes.Conflict, $"{Names.Printable(n.Host)}: same disk used by several IO services ('{Names.Printable(t)}', also at line {firstDisk.Line})");
                    else { nodeDisks[t] = d; list.Add(t); }
                }
                if (confd && nodeConfd != null)
                    ctx.Error(sr.Node.Get("runs_confd")!, sr.Field("runs_confd"), SpecCodes.Conflict, $"{Names.Printable(n.Host)}: too many confd services (also at line {nodeConfd.Line}); at most one per node");
                else if (confd) nodeConfd = sr.Node.Get("runs_confd");
                if (!confd && list.Count == 0 && sr.Has("io_disks"))
                    ctx.Error(sr.Node, sp, SpecCodes.Missing, $"{Names.Printable(n.Host)}: either 'runs_confd' or 'io_disks' must be set");
                if (confd) confds++;
                disks += list.Count;
                n.Servers.Add((confd, list));
            }
            var cr = r.Map("m0_clients", null, "s3", "other");
            if (cr != null)
            {
                n.S3 = cr.Int("s3", 0, 64, required: true) ?? 0;
                n.Other = cr.Int("other", 0, 64, required: true) ?? 0;
            }
            else if (!r.Has("m0_clients")) r.Error("m0_clients", SpecCodes.Missing, "missing required field 'm0_clients' ({ s3: N, other: N })");
            if (r.Has("m0_servers") && n.Servers.Count + n.S3 + n.Other == 0)
                ctx.Error(r.Node, path, SpecCodes.Missing, $"{Names.Printable(n.Host)}: at least one Motr server or client is required");
            cdf.Nodes.Add(n);
        }
        if (nodes != null && nodes.Items.Count > 0 && confds == 0)
            top.Error("nodes", SpecCodes.Missing, "at least one confd is required (an m0_server with runs_confd: true)");
        if (nodes != null && nodes.Items.Count > 0 && disks == 0)
            top.Error("nodes", SpecCodes.Missing, "no disks found (io_disks of the m0_servers)");
        ReadPools(ctx, top, cdf);
        return cdf;
    }

    private static void ReadPools(ReadContext ctx, MapReader top, Cdf cdf)
    {
        var pools = top.Seq("pools", required: true);
        if (pools != null && pools.Items.Count == 0) top.Error("pools", SpecCodes.Missing, "list of pools must not be empty");
        var names = new Dictionary<string, YNode>(System.StringComparer.Ordinal);
        foreach (var (item, path, _) in ReadContext.Items(pools, top.Field("pools")))
        {
            var r = ctx.Map(item, path, null, "name", "disks", "data_units", "parity_units", "allowed_failures");
            if (r == null) continue;
            var p = new CdfPool { Name = r.Name("name", "pool name") ?? "" };
            if (p.Name.Length > 0 && names.TryGetValue(p.Name, out var first))
                r.Error("name", SpecCodes.DuplicateName, $"pool names are not unique: '{Names.Printable(p.Name)}' is also at line {first.Line}");
            else if (p.Name.Length > 0) names[p.Name] = r.Node.Get("name")!;
            var disks = r.Get("disks", required: true);
            if (disks is YMap)
                r.Error("disks", SpecCodes.BadValue, "disks: { select: … } is in Hare's schema but cfgen does not support it (pool_drives: 'XXX-TODO'); use disks: all");
            else if (disks != null && ctx.Text(disks, r.Field("disks")) is string d && d != "all")
                r.Error("disks", SpecCodes.BadValue, $"disks: '{Names.Printable(d)}' is not all (the only value cfgen supports)");
            p.Data = r.Int("data_units", 1, 1024, required: true) ?? 0;
            p.Parity = r.Int("parity_units", 0, 1024, required: true) ?? 0;
            var af = r.Map("allowed_failures", null, "site", "rack", "encl", "ctrl", "disk");
            if (af != null)
                foreach (var k in new[] { "site", "rack", "encl", "ctrl", "disk" }) af.Int(k, 0, 1024, required: true);
            cdf.Pools.Add(p);
        }
    }

    private static ClusterSpec ToSpec(Cdf cdf, string name)
    {
        var spec = new ClusterSpec { Name = name, Stack = StackKind.Consul };
        var s = spec.Section<ConsulSection>();
        foreach (var n in cdf.Nodes)
        {
            // Hare takes the address of data_iface (facter); without data_iface_ip_addr the host name is the address.
            spec.Nodes.Add(new NodeSpec { Name = n.Host, Address = n.Ip ?? n.Host, DataIface = n.Iface });
            // Consul servers are the nodes with a confd (cfgen's consul-agents.json); the others run client agents.
            if (n.Servers.Any(x => x.Confd)) s.Consul.Servers.Add(n.Host);
            var ids = new Dictionary<string, int>(System.StringComparer.Ordinal);
            void Add(ConsulService svc)
            {
                ids.TryGetValue(svc.Name, out var count);
                ids[svc.Name] = ++count;
                svc.Id = count == 1 ? svc.Name : svc.Name + "-" + count;
                svc.Node = n.Host;
                s.Services.Add(svc);
            }
            if (n.Servers.Count > 0) Add(new ConsulService { Name = "hax", Unit = "hare-hax", Phase = 1 });
            foreach (var (confd, disks) in n.Servers)
            {
                var svc = new ConsulService
                {
                    Name = confd ? "confd" : "ios",
                    Unit = "m0d@" + ConsulService.FidToken,
                    MkfsUnit = "mero-mkfs@" + ConsulService.FidToken,
                    Phase = confd ? 1 : 2,
                };
                svc.Disks.AddRange(disks);
                Add(svc);
            }
            for (var i = 0; i < n.S3; i++) Add(new ConsulService { Name = "s3server", Unit = "s3server@" + ConsulService.FidToken, Phase = 3 });
            for (var i = 0; i < n.Other; i++) Add(new ConsulService { Name = "m0_client", External = true });
        }
        foreach (var p in cdf.Pools) s.Pools.Add(new ConsulPool { Name = p.Name, DataUnits = p.Data, ParityUnits = p.Parity });
        return spec;
    }
}
