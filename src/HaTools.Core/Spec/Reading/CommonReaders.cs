using HaTools.Core.Spec.Yaml;
using HaTools.Core.Transport;

namespace HaTools.Core.Spec.Reading;

/// <summary>Sections every stack has: ssh, nodes, storage.</summary>
internal static class CommonReaders
{
    public const int MaxNodes = 32;

    public static void Ssh(ReadContext ctx, YNode? node, string path, SshSpec ssh)
    {
        var r = ctx.Map(node, path, ssh, "user", "port", "identity", "known_hosts", "host_key_policy", "connect_timeout", "transport");
        if (r == null) return;
        ssh.User = r.Checked("user", u => SpecRules.UserName.IsMatch(u) ? null
            : $"invalid user name '{Names.Printable(u)}': use letters, digits, '_', '.', '-' (at most 32, not starting with a digit or '-')", SpecCodes.BadName);
        ssh.Port = r.Int("port", 1, 65535);
        ssh.Identity = r.Checked("identity", p => SpecRules.PathProblem(p, mustBeAbsolute: false), SpecCodes.BadValue);
        ssh.KnownHosts = r.Checked("known_hosts", p => SpecRules.PathProblem(p, mustBeAbsolute: false), SpecCodes.BadValue);
        ssh.HostKeyPolicy = r.Enum("host_key_policy", SpecRules.HostKeyPolicies) switch
        {
            "strict" => HostKeyPolicy.Strict,
            "accept-new" => HostKeyPolicy.AcceptNew,
            _ => null,
        };
        ssh.ConnectTimeoutSec = r.Int("connect_timeout", 1, 600);
        ssh.Transport = r.Enum("transport", RunnerFactory.Transports);
    }

    public static void Nodes(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        var raw = top.Node.Get("nodes");
        var seq = top.Seq("nodes");
        if (seq == null && raw != null && raw is not YScalar { IsNull: true }) return; // wrong type, already reported
        if (seq == null || seq.Items.Count == 0)
        {
            top.Error("nodes", SpecCodes.Missing, $"at least one node is required (nodes: a list of 1 to {MaxNodes} nodes)");
            return;
        }
        foreach (var (item, path, index) in ReadContext.Items(seq, top.Field("nodes")))
        {
            if (index == MaxNodes)
                ctx.Error(item, path, SpecCodes.OutOfRange, $"too many nodes: {seq.Items.Count}; a cluster has at most {MaxNodes}");
            var n = new NodeSpec();
            var r = ctx.Map(item, path, n, "name", "address", "nodeid", "data_iface", "ssh");
            if (r == null)
            {
                if (item is YScalar { IsNull: true }) ctx.Error(item, path, SpecCodes.Missing, "empty node entry");
                continue;
            }
            n.Name = r.Name("name", "node name") ?? "";
            n.Address = r.Checked("address", SpecRules.AddressProblem, SpecCodes.BadValue, required: true) ?? "";
            n.NodeId = r.Int("nodeid", 1, int.MaxValue);
            n.DataIface = r.Checked("data_iface", s => SpecRules.Interface.IsMatch(s) ? null
                : $"invalid interface name '{Names.Printable(s)}': 1 to 15 of A-Z a-z 0-9 _ . : - (not starting with '-')", SpecCodes.BadName);
            Ssh(ctx, r.Get("ssh"), r.Field("ssh"), n.Ssh);
            spec.Nodes.Add(n);
        }
    }

    public static void Storage(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        var r = top.Map("storage", spec.Storage, "devices");
        if (r == null) return;
        foreach (var (item, path, _) in ReadContext.Items(r.Seq("devices"), r.Field("devices")))
        {
            var d = new DeviceSpec();
            var dr = ctx.Map(item, path, d, "path", "fstype", "options", "node");
            if (dr == null) continue;
            d.Path = dr.Checked("path", SpecRules.DevicePathProblem, SpecCodes.BadValue, required: true) ?? "";
            d.Fstype = dr.Enum("fstype", SpecRules.Fstypes) ?? d.Fstype;
            foreach (var (opt, optPath, i) in ReadContext.Items(dr.Seq("options"), dr.Field("options")))
            {
                var t = ctx.Text(opt, optPath);
                if (t == null) continue;
                d.Options.Add(t);
                d.FieldPositions[$"options[{i}]"] = ctx.Pos(opt);
            }
            d.Node = dr.Str("node", required: true) ?? "";
            spec.Storage.Devices.Add(d);
        }
    }
}
