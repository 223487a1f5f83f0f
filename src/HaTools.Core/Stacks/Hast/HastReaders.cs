using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Spec;
using HaTools.Core.Spec.Reading;
using HaTools.Core.Spec.Yaml;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hast;

/// <summary>Sections of stack: hast (hast, carp, zfs, failover) and the checks across them. Every problem is reported
/// with its position; nothing stops at the first.</summary>
internal static class HastReaders
{
    public static void Hast(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        var h = spec.Section<HastSection>().Hast;
        var r = top.Map("hast", h, "replication", "checksum", "compression", "timeout", "addresses", "resources");
        if (r == null) return;
        h.Replication = r.Enum("replication", HastRules.Replications);
        h.Checksum = r.Enum("checksum", HastRules.Checksums);
        h.Compression = r.Enum("compression", HastRules.Compressions);
        h.Timeout = r.Int("timeout", 1, 3600);
        PerNode(ctx, r, "addresses", h, (node, n, p) => Store(h.Addresses, node, ctx.Text(n, p) is { } t && Check(ctx, n, p, HastRules.Ipv4Problem(t)) ? t : null));

        foreach (var (item, path, _) in ReadContext.Items(r.Seq("resources"), r.Field("resources")))
        {
            var res = new HastResourceSpec();
            var rr = ctx.Map(item, path, res, "name", "local", "replication", "checksum", "compression", "timeout");
            if (rr == null) continue;
            res.Name = rr.Name("name", "HAST resource name") ?? "";
            if (res.Name.Length > 0) Check(ctx, rr.Node.Get("name")!, rr.Field("name"), HastRules.TokenProblem(res.Name, "resource"));
            var local = rr.Get("local", required: true);
            if (local is YScalar { IsNull: false } one)
            {
                var path1 = rr.Field("local");
                // One path for every node; a bad one is reported once, not again as missing for each node.
                res.LocalSameOnAllNodes = true;
                if (ctx.Text(one, path1) is { } t && Check(ctx, one, path1, HastRules.LocalPathProblem(t)))
                {
                    foreach (var n in spec.Nodes.Where(n => n.Name.Length > 0)) res.Local[n.Name] = t;
                }
            }
            else if (local != null)
                PerNode(ctx, rr, "local", res, (node, n, p) => Store(res.Local, node, ctx.Text(n, p) is { } t && Check(ctx, n, p, HastRules.LocalPathProblem(t)) ? t : null));
            res.Replication = rr.Enum("replication", HastRules.Replications);
            res.Checksum = rr.Enum("checksum", HastRules.Checksums);
            res.Compression = rr.Enum("compression", HastRules.Compressions);
            res.Timeout = rr.Int("timeout", 1, 3600);
            h.Resources.Add(res);
        }
    }

    public static void Carp(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        var c = spec.Section<HastSection>().Carp;
        var r = top.Map("carp", c, "interface", "vhid", "address", "advbase", "advskew", "password_file", "password_env", "alias", "password");
        if (r == null) return;
        if (r.Has("password"))
            // The value is not echoed: it may be the real password.
            r.Error("password", SpecCodes.BadValue, "the CARP password is a secret and is not written in the cluster file: name a 0600 file (password_file) or an environment variable (password_env)");
        c.Interface = r.Checked("interface", s => SpecRules.Interface.IsMatch(s) ? null
            : $"invalid interface name '{Names.Printable(s)}': 1 to 15 of A-Z a-z 0-9 _ . : - (not starting with '-')", SpecCodes.BadName, required: true) ?? "";
        c.Vhid = r.Int("vhid", 1, 255, required: true) ?? 0;
        c.Address = r.Checked("address", HastRules.CarpAddressProblem, SpecCodes.BadValue, required: true) ?? "";
        c.Advbase = r.Int("advbase", 1, 255);
        PerNode(ctx, r, "advskew", c, (node, n, p) => ctx.Int(n, p, 0, 240) is int k && Store(c.Advskew, node, (object)k));
        c.PasswordFile = r.Checked("password_file", p => SpecRules.PathProblem(p, mustBeAbsolute: false), SpecCodes.BadValue);
        c.PasswordEnv = r.Checked("password_env", HastRules.EnvNameProblem, SpecCodes.BadName);
        c.AliasIndex = r.Int("alias", 0, 255) ?? 0;
        if (r.Has("password_file") && r.Has("password_env"))
            r.Error("password_env", SpecCodes.Conflict, "name the CARP password's source once: password_file or password_env, not both");
        else if (!r.Has("password_file") && !r.Has("password_env") && !r.Has("password"))
            ctx.Error(r.Node, r.Field("password_file"), SpecCodes.Missing, "the CARP password: name a 0600 file (password_file) or an environment variable (password_env)");
    }

    public static void Zfs(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        var z = spec.Section<HastSection>().Zfs;
        var r = top.Map("zfs", z, "pool", "vdevs", "failmode");
        if (r == null) return;
        z.Pool = r.Checked("pool", HastRules.PoolNameProblem, SpecCodes.BadName, required: true) ?? "";
        z.Failmode = r.Enum("failmode", HastRules.Failmodes);
        var seq = r.Seq("vdevs", required: true);
        if (seq != null && seq.Items.Count == 0) r.Error("vdevs", SpecCodes.Missing, "a pool needs at least one vdev");
        foreach (var (item, path, _) in ReadContext.Items(seq, r.Field("vdevs")))
        {
            var v = new VdevSpec();
            var vr = ctx.Map(item, path, v, "type", "resources");
            if (vr == null) continue;
            v.Type = vr.Enum("type", HastRules.VdevTypes) ?? v.Type;
            foreach (var (res, resPath, i) in ReadContext.Items(vr.Seq("resources", required: true), vr.Field("resources")))
            {
                var t = ctx.Text(res, resPath);
                if (t == null) continue;
                v.Resources.Add(t);
                v.FieldPositions[$"resources[{i}]"] = ctx.Pos(res);
            }
            z.Vdevs.Add(v);
        }
    }

    public static void Failover(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        var f = spec.Section<HastSection>().Failover;
        var r = top.Map("failover", f, "automatic", "device_timeout", "peer_timeout", "preempt");
        if (r == null) return;
        f.Automatic = r.Bool("automatic") ?? f.Automatic;
        f.DeviceTimeout = r.Int("device_timeout", 1, 600) ?? f.DeviceTimeout;
        f.PeerTimeout = r.Int("peer_timeout", 1, 600) ?? f.PeerTimeout;
        f.Preempt = r.Bool("preempt") ?? f.Preempt;
    }

    /// <summary>Checks across the sections of stack: hast, once the nodes and every section are read.</summary>
    public static void Checks(ClusterSpec spec, ReadContext ctx)
    {
        var p = ctx.Problems;
        var s = spec.Section<HastSection>();
        var nodes = spec.Nodes.Where(n => n.Name.Length > 0).Select(n => n.Name).ToList();
        if (spec.Nodes.Count != 2)
            p.Error(spec.PositionOf("nodes"), "nodes", SpecCodes.OutOfRange, $"stack: hast replicates between exactly 2 nodes; this file has {spec.Nodes.Count}");
        for (var i = 0; i < spec.Nodes.Count; i++)
            if (HastRules.TokenProblem(spec.Nodes[i].Name, "node") is { } why)
                p.Error(spec.Nodes[i].PositionOf("name"), $"nodes[{i}].name", SpecCodes.BadName, why);

        var h = s.Hast;
        if (h.Position.Line == 0 || h.Resources.Count == 0)
            p.Error(h.Position.Line == 0 ? spec.Position : h.PositionOf("resources"), h.Position.Line == 0 ? "hast" : "hast.resources", SpecCodes.Missing,
                "stack: hast needs a hast: section with at least one resource (hast.resources)");

        KnownNodes(p, h, "hast.addresses", "addresses", h.Addresses.Keys, nodes);
        var seenAddress = new Dictionary<string, string>();
        for (var i = 0; i < spec.Nodes.Count; i++)
        {
            var n = spec.Nodes[i];
            if (n.Name.Length == 0) continue;
            var explicitAddress = h.Addresses.TryGetValue(n.Name, out var a);
            if (!explicitAddress && (a = n.Address).Length > 0 && HastRules.Ipv4Problem(a) != null)
            {
                p.Error(n.PositionOf("address"), $"nodes[{i}].address", SpecCodes.Missing,
                    $"node '{Names.Printable(n.Name)}' has no replication address: its address '{Names.Printable(a)}' is not an IPv4 address; set hast.addresses.{Names.Printable(n.Name)}");
                continue;
            }
            if (a!.Length > 0 && seenAddress.TryGetValue(a, out var other))
                p.Error(explicitAddress ? h.PositionOf("addresses." + n.Name) : n.PositionOf("address"), explicitAddress ? $"hast.addresses.{n.Name}" : $"nodes[{i}].address",
                    SpecCodes.DuplicateAddress, $"node '{Names.Printable(n.Name)}' replicates over {a}, the address of node '{Names.Printable(other)}' too");
            else if (a.Length > 0) seenAddress[a] = n.Name;
        }

        var names = new Dictionary<string, HastResourceSpec>();
        var devices = new Dictionary<string, string>();
        for (var i = 0; i < h.Resources.Count; i++)
        {
            var res = h.Resources[i];
            var path = $"hast.resources[{i}]";
            if (res.Name.Length > 0 && names.TryGetValue(res.Name, out var first))
                p.Error(res.PositionOf("name"), path + ".name", SpecCodes.DuplicateName, $"resource '{Names.Printable(res.Name)}' is defined twice (first at line {first.PositionOf("name").Line}); hastd refuses it");
            else if (res.Name.Length > 0) names[res.Name] = res;
            if (res.LocalSameOnAllNodes || res.FieldPositions.ContainsKey("local"))
            {
                if (!res.LocalSameOnAllNodes) KnownNodes(p, res, path + ".local", "local", res.Local.Keys, nodes);
                foreach (var n in nodes.Where(n => !res.Local.ContainsKey(n) && !res.LocalSameOnAllNodes))
                    p.Error(res.PositionOf("local"), path + ".local", SpecCodes.Missing, $"no local device for node '{Names.Printable(n)}' (hastd needs one in every node's block)");
            }
            foreach (var kv in res.Local)
            {
                var key = kv.Key + "\n" + kv.Value;
                if (devices.TryGetValue(key, out var user))
                    p.Error(res.PositionOf(res.LocalSameOnAllNodes ? "local" : "local." + kv.Key), path + ".local", SpecCodes.Conflict,
                        $"device '{Names.Printable(kv.Value)}' on node '{Names.Printable(kv.Key)}' is already the local device of resource '{Names.Printable(user)}'");
                else devices[key] = res.Name;
            }
        }

        var c = s.Carp;
        var carpGiven = c.Position.Line > 0;
        if (carpGiven)
        {
            KnownNodes(p, c, "carp.advskew", "advskew", c.Advskew.Keys, nodes);
            var skews = spec.Nodes.Select((n, i) => c.Advskew.TryGetValue(n.Name, out var k) ? k : CarpSpec.DefaultAdvskew(i)).ToList();
            if (skews.Count == 2 && skews[0] == skews[1])
                p.Error(c.PositionOf("advskew"), "carp.advskew", SpecCodes.Conflict, $"both nodes have advskew {skews[0]}: CARP would pick the master by address; give the preferred primary the lower advskew");
        }
        if (s.Failover.Automatic && !carpGiven && h.Position.Line > 0)
            p.Error(s.Failover.Position.Line > 0 ? s.Failover.PositionOf("automatic") : h.Position, s.Failover.Position.Line > 0 ? "failover.automatic" : "carp", SpecCodes.Missing,
                "automatic failover follows the CARP master: add a carp: section, or set failover.automatic: false");

        var z = s.Zfs;
        if (z.Position.Line == 0) return;
        var used = new Dictionary<string, string>();
        for (var i = 0; i < z.Vdevs.Count; i++)
        {
            var v = z.Vdevs[i];
            var path = $"zfs.vdevs[{i}]";
            if (v.Resources.Count < HastRules.MinDevices(v.Type) && v.FieldPositions.ContainsKey("resources"))
                p.Error(v.PositionOf("resources"), path + ".resources", SpecCodes.OutOfRange, $"a {v.Type} vdev needs at least {HastRules.MinDevices(v.Type)} devices; this one has {v.Resources.Count}");
            for (var j = 0; j < v.Resources.Count; j++)
            {
                var r = v.Resources[j];
                var pos = v.PositionOf($"resources[{j}]");
                if (!names.ContainsKey(r))
                    p.Error(pos, $"{path}.resources[{j}]", SpecCodes.Dangling, $"unknown HAST resource '{Names.Printable(r)}' (not in hast.resources)");
                else if (used.TryGetValue(r, out var where))
                    p.Error(pos, $"{path}.resources[{j}]", SpecCodes.Conflict, $"/dev/hast/{Names.Printable(r)} is already in {where}");
                else used[r] = path;
            }
        }
        foreach (var res in h.Resources.Where(r => r.Name.Length > 0 && !used.ContainsKey(r.Name)))
            p.Warn(res.PositionOf("name"), "zfs.vdevs", SpecCodes.Dangling, $"HAST resource '{Names.Printable(res.Name)}' is in no vdev of the pool: it is replicated but holds no pool");
    }

    private static bool Check(ReadContext ctx, YNode at, string path, string? problem)
    {
        if (problem == null) return true;
        ctx.Error(at, path, SpecCodes.BadValue, problem);
        return false;
    }

    /// <summary>A mapping of node name → value: <paramref name="read"/> stores one value and says whether it did; the
    /// position of each stored one is recorded as KEY.NODE on the owner.</summary>
    private static void PerNode(ReadContext ctx, MapReader r, string key, SpecElement owner, System.Func<string, YNode, string, bool> read)
    {
        var m = ctx.Map(r.Get(key), r.Field(key), null);
        if (m == null) return;
        foreach (var e in m.Node.Entries)
            if (read(e.Key.Value, e.Value, m.Field(Names.Printable(e.Key.Value))))
                owner.FieldPositions[key + "." + e.Key.Value] = ctx.Pos(e.Key);
    }

    private static bool Store<T>(Dictionary<string, T> into, string node, object? value)
    {
        if (value == null) return false;
        into[node] = (T)value;
        return true;
    }

    private static void KnownNodes(ProblemList p, SpecElement owner, string path, string field, IEnumerable<string> keys, List<string> nodes)
    {
        foreach (var k in keys.Where(k => !nodes.Contains(k)))
            p.Error(owner.PositionOf(field + "." + k), $"{path}.{Names.Printable(k)}", SpecCodes.Dangling, $"unknown node '{Names.Printable(k)}' (not in nodes:)");
    }
}
