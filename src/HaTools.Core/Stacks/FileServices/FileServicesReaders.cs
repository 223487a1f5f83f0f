using System;
using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Spec;
using HaTools.Core.Spec.Reading;
using HaTools.Core.Spec.Yaml;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.FileServices;

/// <summary>The <c>file_services:</c> section of a Pacemaker cluster file, and the checks across it and the rest of the
/// file. Every problem is reported with its position; nothing stops at the first.</summary>
internal static class FileServicesReaders
{
    public const string Key = "file_services";

    public static void Read(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        var fs = spec.Section<FileServicesSpec>();
        var r = top.Map(Key, fs, "shared", "nodes", "smb", "nfs", "vips", "failback", "ctdb");
        if (r == null)
        {
            if (top.Has(Key) && top.Node.Get(Key) is YScalar { IsNull: true })
                top.Error(Key, SpecCodes.Missing, "file_services is empty: give at least shared, vips and a share or an export");
            return;
        }
        fs.Declared = true;

        var sr = r.Map("shared", fs.Shared, "path", "mount");
        if (sr == null) r.Get("shared", required: true);
        else
        {
            fs.Shared.Path = sr.Checked("path", FileServicesRules.SharedPathProblem, SpecCodes.BadValue, required: true) ?? "";
            var m = new MountSpec();
            var mr = sr.Map("mount", m, "device", "fstype", "options");
            if (mr != null)
            {
                m.Device = mr.Checked("device", FileServicesRules.MountDeviceProblem, SpecCodes.BadValue, required: true) ?? "";
                m.Fstype = mr.Checked("fstype", FileServicesRules.MountFstypeProblem, SpecCodes.BadValue, required: true) ?? "";
                m.Options = mr.Checked("options", FileServicesRules.MountOptionsProblem, SpecCodes.BadValue);
                fs.Shared.Mount = m;
            }
        }

        Strings(ctx, r, "nodes", fs, fs.Nodes, null, SpecCodes.BadName);

        Smb(ctx, r, fs.Smb);
        Nfs(ctx, r, fs.Nfs);
        Vips(ctx, r, fs);
        fs.Failback = r.Enum("failback", FileServicesRules.FailbackPolicies) ?? fs.Failback;

        var cr = r.Map("ctdb", fs.Ctdb, "keepalive_interval", "keepalive_limit", "recovery_lock");
        if (cr != null)
        {
            fs.Ctdb.KeepaliveInterval = cr.Int("keepalive_interval", 1, 60);
            fs.Ctdb.KeepaliveLimit = cr.Int("keepalive_limit", 1, 100);
            fs.Ctdb.RecoveryLock = cr.Checked("recovery_lock", s => FileServicesRules.PathProblem(s, "recovery lock"), SpecCodes.BadValue);
        }
    }

    private static void Smb(ReadContext ctx, MapReader r, SmbSpec smb)
    {
        var sr = r.Map("smb", smb, "netbios_name", "workgroup", "shares");
        if (sr == null) return;
        smb.NetbiosName = sr.Checked("netbios_name", FileServicesRules.NetbiosProblem, SpecCodes.BadName);
        smb.Workgroup = sr.Checked("workgroup", FileServicesRules.WorkgroupProblem, SpecCodes.BadName);
        foreach (var (item, path, _) in ReadContext.Items(sr.Seq("shares"), sr.Field("shares")))
        {
            var s = new SmbShareSpec();
            var shr = ctx.Map(item, path, s, "name", "path", "read_only", "guest", "users");
            if (shr == null) continue;
            s.Name = shr.Checked("name", FileServicesRules.ShareNameProblem, SpecCodes.BadName, required: true) ?? "";
            s.Path = shr.Checked("path", p => FileServicesRules.PathProblem(p, "share path"), SpecCodes.BadValue, required: true) ?? "";
            s.ReadOnly = shr.Bool("read_only") ?? s.ReadOnly;
            s.Guest = shr.Bool("guest") ?? s.Guest;
            Strings(ctx, shr, "users", s, s.Users, FileServicesRules.UserProblem, SpecCodes.BadName);
            if (s.Guest && shr.Has("users"))
                shr.Error("users", SpecCodes.Conflict, "a share is either for guests (guest: true, no account) or for the listed users, not both");
            smb.Shares.Add(s);
        }
    }

    private static void Nfs(ReadContext ctx, MapReader r, NfsSpec nfs)
    {
        var nr = r.Map("nfs", nfs, "grace_period", "lease_lifetime", "graceless", "exports");
        if (nr == null) return;
        // Ganesha's own bounds for NFSv4 { Grace_Period; Lease_Lifetime } (ganesha-core-config(8)).
        nfs.GracePeriod = nr.Int("grace_period", 0, 180);
        nfs.LeaseLifetime = nr.Int("lease_lifetime", 1, 120);
        nfs.Graceless = nr.Bool("graceless");
        foreach (var (item, path, _) in ReadContext.Items(nr.Seq("exports"), nr.Field("exports")))
        {
            var e = new NfsExportSpec();
            var er = ctx.Map(item, path, e, "id", "path", "pseudo", "access", "squash", "clients");
            if (er == null) continue;
            e.Id = er.Int("id", 1, 65535);
            e.Path = er.Checked("path", p => FileServicesRules.PathProblem(p, "export path"), SpecCodes.BadValue, required: true) ?? "";
            e.Pseudo = er.Checked("pseudo", p => FileServicesRules.PathProblem(p, "pseudo path") ?? (p == "/" ? "the pseudo path '/' is the NFSv4 root that ganesha makes itself; give the export its own, such as /export" : null), SpecCodes.BadValue);
            e.Access = er.Enum("access", FileServicesRules.Access) ?? e.Access;
            e.Squash = er.Enum("squash", FileServicesRules.Squash) ?? e.Squash;
            Strings(ctx, er, "clients", e, e.Clients, FileServicesRules.ClientProblem, SpecCodes.BadValue);
            nfs.Exports.Add(e);
        }
    }

    private static void Vips(ReadContext ctx, MapReader r, FileServicesSpec fs)
    {
        var node = r.Get("vips");
        if (node == null || node is YScalar { IsNull: true }) return;
        string? Iface(MapReader m) => m.Checked("interface", s => SpecRules.Interface.IsMatch(s) ? null
            : $"invalid interface name '{Names.Printable(s)}': 1 to 15 of A-Z a-z 0-9 _ . : - (not starting with '-')", SpecCodes.BadName);
        if (node is YMap)
        {
            var range = new VipRangeSpec();
            var vr = ctx.Map(node, r.Field("vips"), range, "first", "count", "interface");
            range.First = vr!.Checked("first", FileServicesRules.VipProblem, SpecCodes.BadValue, required: true) ?? "";
            range.Count = vr.Int("count", 1, 64);
            range.Interface = Iface(vr);
            fs.VipRange = range;
            return;
        }
        var seq = ctx.Seq(node, r.Field("vips"));
        if (seq == null) return;
        foreach (var (item, path, _) in ReadContext.Items(seq, r.Field("vips")))
        {
            var v = new VipSpec();
            var vr = ctx.Map(item, path, v, "name", "address", "interface", "home");
            if (vr == null) continue;
            v.Name = vr.Name("name", "address resource name", required: false) ?? "";
            if (v.Name.Length > 0 && !char.IsLetter(v.Name[0]) && SpecRules.NameProblem(v.Name) == null)
                vr.Error("name", SpecCodes.BadName, $"invalid address resource name '{Names.Printable(v.Name)}': Pacemaker ids start with a letter");
            v.Address = vr.Checked("address", FileServicesRules.VipProblem, SpecCodes.BadValue, required: true) ?? "";
            v.Interface = Iface(vr);
            v.Home = vr.Str("home") ?? "";
            fs.VipList.Add(v);
        }
    }

    /// <summary>Checks across the section and the rest of the file, once everything is read.</summary>
    public static void Checks(ClusterSpec spec, ReadContext ctx)
    {
        var fs = FileServicesModel.Of(spec);
        if (fs == null) return;
        var p = ctx.Problems;
        var shared = fs.Shared.Path;

        if (!fs.HasSmb && !fs.HasNfs)
            p.Error(fs.Position, Key, SpecCodes.Missing, "file_services serves nothing: give at least one SMB share (smb.shares) or NFS export (nfs.exports)");
        if (fs.VipRange == null && fs.VipList.Count == 0)
            p.Error(fs.PositionOf("vips"), Key + ".vips", SpecCodes.Missing, "file_services needs floating addresses: vips: { first: ADDRESS/PREFIX } (one per serving node) or a list of { address: ADDRESS/PREFIX }");

        // Serving nodes.
        var names = new HashSet<string>(spec.Nodes.Select(n => n.Name), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < fs.Nodes.Count; i++)
        {
            var n = fs.Nodes[i];
            var pos = fs.PositionOf($"nodes[{i}]");
            if (!names.Contains(n)) p.Error(pos, $"{Key}.nodes[{i}]", SpecCodes.Dangling, $"unknown node '{Names.Printable(n)}' (not in nodes:)");
            else if (!seen.Add(n)) p.Error(pos, $"{Key}.nodes[{i}]", SpecCodes.DuplicateName, $"node '{Names.Printable(n)}' is listed twice");
        }
        var serving = FileServicesModel.ServingNodes(spec, fs);
        if (serving.Count == 1)
            p.Warn(fs.Nodes.Count > 0 ? fs.PositionOf("nodes") : spec.PositionOf("nodes"), Key + ".nodes", SpecCodes.OutOfRange,
                $"only one node serves ({serving[0].Name}): the addresses have nowhere to move when it fails");
        if (fs.HasSmb)
            foreach (var n in serving.Where(n => n.Address.Length > 0 && !FileServicesRules.IsIp(n.Address)))
                p.Error(n.PositionOf("address"), $"nodes[{spec.Nodes.IndexOf(n)}].address", SpecCodes.BadValue,
                    $"node '{Names.Printable(n.Name)}' serves SMB but its address '{Names.Printable(n.Address)}' is not an IP address: CTDB's nodes file takes IP addresses only");

        SmbChecks(spec, fs, p, shared);
        NfsChecks(fs, p, shared);
        VipChecks(spec, fs, p, serving);
        CtdbChecks(fs, p, shared);
        IdChecks(spec, fs, p);
    }

    private static void SmbChecks(ClusterSpec spec, FileServicesSpec fs, ProblemList p, string shared)
    {
        var smb = fs.Smb;
        if (!fs.HasSmb) return;
        if (smb.NetbiosName == null && spec.Name.Length > 0 && FileServicesRules.NetbiosProblem(spec.Name) != null)
            p.Error(spec.PositionOf("name"), "name", SpecCodes.BadName,
                $"the cluster name '{Names.Printable(spec.Name)}' cannot be the NetBIOS name of its SMB service (1 to 15 letters, digits and '-'): set {Key}.smb.netbios_name");
        var shares = new Dictionary<string, SmbShareSpec>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < smb.Shares.Count; i++)
        {
            var s = smb.Shares[i];
            var path = $"{Key}.smb.shares[{i}]";
            // SMB share names do not differ by case: \\HAFS\Data and \\HAFS\data are one share.
            if (s.Name.Length > 0 && shares.TryGetValue(s.Name, out var first))
                p.Error(s.PositionOf("name"), path + ".name", SpecCodes.DuplicateName, $"share '{Names.Printable(s.Name)}' is defined twice (first at line {first.PositionOf("name").Line}; share names do not differ by case)");
            else if (s.Name.Length > 0) shares[s.Name] = s;
            UnderShared(p, s, "path", path + ".path", s.Path, shared, "share");
        }
    }

    private static void NfsChecks(FileServicesSpec fs, ProblemList p, string shared)
    {
        var nfs = fs.Nfs;
        if (nfs.GracePeriod is int g && g < nfs.LeaseSeconds && nfs.Graceless != true)
            p.Warn(nfs.PositionOf("grace_period"), Key + ".nfs.grace_period", SpecCodes.BadValue,
                $"grace_period {g} s is shorter than the lease ({nfs.LeaseSeconds} s): clients of a restarted ganesha may lose their state before they can reclaim it");
        var pseudo = new Dictionary<string, NfsExportSpec>(StringComparer.Ordinal);
        var ids = new Dictionary<int, NfsExportSpec>();
        for (var i = 0; i < nfs.Exports.Count; i++)
        {
            var e = nfs.Exports[i];
            var path = $"{Key}.nfs.exports[{i}]";
            UnderShared(p, e, "path", path + ".path", e.Path, shared, "export");
            var where = e.Pseudo != null ? "pseudo" : "path";
            if (e.Path.Length > 0 && pseudo.TryGetValue(e.PseudoPath, out var first))
                p.Error(e.PositionOf(where), $"{path}.{where}", SpecCodes.DuplicateName, $"pseudo path '{Names.Printable(e.PseudoPath)}' is used twice (first at line {first.PositionOf(first.Pseudo != null ? "pseudo" : "path").Line}); each export needs its own");
            else if (e.Path.Length > 0) pseudo[e.PseudoPath] = e;
            var id = e.Id ?? i + 1;
            if (ids.TryGetValue(id, out var other))
                p.Error(e.Id != null ? e.PositionOf("id") : e.Position, path + ".id", SpecCodes.DuplicateId,
                    $"Export_Id {id} is used twice (also the export at line {other.Position.Line}){(e.Id == null ? "; an export without id: takes its position in the list" : "")}");
            else ids[id] = e;
        }
    }

    private static void VipChecks(ClusterSpec spec, FileServicesSpec fs, ProblemList p, IReadOnlyList<NodeSpec> serving)
    {
        var servingNames = new HashSet<string>(serving.Select(n => n.Name), StringComparer.Ordinal);
        var all = FileServicesModel.Vips(spec, fs);
        if (fs.VipRange is { } range && FileServicesRules.TryCidr(range.First, out var first, out var rp))
        {
            var count = range.Count ?? serving.Count;
            if (all.Count < count)
                p.Error(range.PositionOf("first"), Key + ".vips.first", SpecCodes.OutOfRange, $"{count} addresses from {first} run past the end of the address space");
            else if (count > 0 && !FileServicesRules.InNetwork(all[count - 1].Address, first, rp))
                p.Error(range.PositionOf(range.Count != null ? "count" : "first"), Key + ".vips." + (range.Count != null ? "count" : "first"), SpecCodes.OutOfRange,
                    $"{count} addresses from {first} end at {all[count - 1].Address}, outside {first}/{rp}");
        }
        for (var i = 0; i < fs.VipList.Count; i++)
        {
            var h = fs.VipList[i].Home;
            if (h.Length == 0) continue;
            if (!spec.Nodes.Any(n => n.Name == h))
                p.Error(fs.VipList[i].PositionOf("home"), $"{Key}.vips[{i}].home", SpecCodes.Dangling, $"unknown node '{Names.Printable(h)}' (not in nodes:)");
            else if (!servingNames.Contains(h))
                p.Error(fs.VipList[i].PositionOf("home"), $"{Key}.vips[{i}].home", SpecCodes.Conflict, $"node '{Names.Printable(h)}' does not serve files ({Key}.nodes): it cannot hold an address");
        }

        // Each resolved address with the field it came from (a range: its first; a list: the item).
        var entries = new List<(ResolvedVip V, string Field, SourcePosition Pos, int Item)>();
        if (fs.VipRange != null)
            entries.AddRange(all.Select(v => (v, Key + ".vips.first", fs.VipRange.PositionOf("first"), -1)));
        else
            for (int i = 0, k = 0; i < fs.VipList.Count && k < all.Count; i++)
                if (FileServicesRules.TryCidr(fs.VipList[i].Address, out _, out _))
                    entries.Add((all[k++], $"{Key}.vips[{i}].address", fs.VipList[i].PositionOf("address"), i));

        var addresses = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
        var vipNames = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
        var daemons = new HashSet<string>(FileServicesCib.DaemonIds(fs), StringComparer.Ordinal);
        foreach (var (v, field, pos, item) in entries)
        {
            if (addresses.TryGetValue(v.Address, out var firstUse))
                p.Error(pos, field, SpecCodes.DuplicateAddress, $"address {v.Address} is given twice (first at line {firstUse.Line})");
            else addresses[v.Address] = pos;
            var namePos = item >= 0 && fs.VipList[item].Name.Length > 0 ? fs.VipList[item].PositionOf("name") : pos;
            if (vipNames.TryGetValue(v.Name, out var np))
                p.Error(namePos, item >= 0 ? $"{Key}.vips[{item}].name" : field, SpecCodes.DuplicateName, $"address name '{Names.Printable(v.Name)}' is used twice (first at line {np.Line})");
            else vipNames[v.Name] = namePos;
            if (daemons.Contains(v.Name))
                p.Error(namePos, item >= 0 ? $"{Key}.vips[{item}].name" : field, SpecCodes.DuplicateName, $"'{Names.Printable(v.Name)}' is the name of a resource {Key} makes for its daemons; name the address otherwise");
            foreach (var n in spec.Nodes.Where(n => n.Address == v.Address))
                p.Error(pos, field, SpecCodes.DuplicateAddress, $"address {v.Address} is node '{Names.Printable(n.Name)}''s own address; a floating address must be free");
            var outside = serving.Where(n => FileServicesRules.IsIp(n.Address) && !FileServicesRules.InNetwork(n.Address, v.Address, v.Prefix)).ToList();
            if (outside.Count == 0) continue;
            var msg = $"{v.Address}/{v.Prefix} is not in the network of node{(outside.Count > 1 ? "s" : "")} {string.Join(", ", outside.Select(n => $"{n.Name} ({n.Address})"))}";
            if (v.Interface == null)
                p.Error(pos, field, SpecCodes.BadValue, msg + ": IPaddr2 picks the interface by the address's network, and none is given (set interface)");
            else
                p.Warn(pos, field, SpecCodes.BadValue, msg + $": it goes on {v.Interface} as given; make sure clients can reach that network");
        }
    }

    private static void CtdbChecks(FileServicesSpec fs, ProblemList p, string shared)
    {
        var c = fs.Ctdb;
        var given = c.Position.Line > 0;
        if (given && !fs.HasSmb)
            p.Warn(c.Position, Key + ".ctdb", SpecCodes.Conflict, "CTDB runs only for SMB (clustered Samba); with no SMB share these settings have no effect");
        var detect = c.Interval * (c.Limit + 1);
        if (fs.HasSmb && detect < FileServicesRules.SpuriousRecoveryBelowSeconds && (c.KeepaliveInterval != null || c.KeepaliveLimit != null))
            p.Warn(c.PositionOf(c.KeepaliveInterval != null ? "keepalive_interval" : "keepalive_limit"), Key + ".ctdb", SpecCodes.OutOfRange,
                $"CTDB takes a node for dead after {detect} s without an answer: a short stall of one ctdbd then starts a cluster-wide recovery that stalls SMB on every node (measured with 1 × 3); the default is {FileServicesRules.DefaultKeepaliveInterval} × {FileServicesRules.DefaultKeepaliveLimit}");
        if (c.RecoveryLock is { } l && shared.Length > 0)
        {
            if (!FileServicesRules.IsUnder(l, shared) || l == shared)
                p.Error(c.PositionOf("recovery_lock"), Key + ".ctdb.recovery_lock", SpecCodes.BadValue,
                    $"the recovery lock '{Names.Printable(l)}' must be a file on the shared filesystem (under {shared}): a lock each node keeps for itself does not stop a split brain");
            else if (fs.Smb.Shares.Any(s => FileServicesRules.IsUnder(l, s.Path)) || fs.Nfs.Exports.Any(e => FileServicesRules.IsUnder(l, e.Path)))
                p.Warn(c.PositionOf("recovery_lock"), Key + ".ctdb.recovery_lock", SpecCodes.Conflict,
                    $"the recovery lock '{Names.Printable(l)}' is inside a share or export: clients could lock or delete it");
        }
    }

    /// <summary>The CIB ids file services make must not be taken by the file's own resources, groups, clones or constraints.</summary>
    private static void IdChecks(ClusterSpec spec, FileServicesSpec fs, ProblemList p)
    {
        var taken = new Dictionary<string, (string Field, SourcePosition Pos)>(StringComparer.Ordinal);
        void Own(string id, string field, SourcePosition pos) { if (id.Length > 0 && !taken.ContainsKey(id)) taken[id] = (field, pos); }
        for (var i = 0; i < spec.Resources.Count; i++) Own(spec.Resources[i].Name, $"resources[{i}].name", spec.Resources[i].PositionOf("name"));
        for (var i = 0; i < spec.Groups.Count; i++) Own(spec.Groups[i].Name, $"groups[{i}].name", spec.Groups[i].PositionOf("name"));
        for (var i = 0; i < spec.Clones.Count; i++) Own(spec.Clones[i].Name, $"clones[{i}].name", spec.Clones[i].PositionOf("name"));
        foreach (var (c, i) in spec.Constraints.Location.Select((c, i) => (c, i))) Own(c.Id, $"constraints.location[{i}]", c.PositionOf("id"));
        foreach (var (c, i) in spec.Constraints.Colocation.Select((c, i) => (c, i))) Own(c.Id, $"constraints.colocation[{i}]", c.PositionOf("id"));
        foreach (var (c, i) in spec.Constraints.Order.Select((c, i) => (c, i))) Own(c.Id, $"constraints.order[{i}]", c.PositionOf("id"));

        foreach (var id in FileServicesCib.Ids(spec).Distinct())
            if (taken.TryGetValue(id, out var t))
                p.Error(t.Pos, t.Field, SpecCodes.DuplicateName, $"id '{Names.Printable(id)}' is one that {Key} adds to the CIB; rename it here");
    }

    /// <summary>A list of single values, each checked by <paramref name="rule"/>; positions go to KEY[i] on the owner.</summary>
    private static void Strings(ReadContext ctx, MapReader r, string key, SpecElement owner, List<string> into, Func<string, string?>? rule, string code)
    {
        foreach (var (item, path, _) in ReadContext.Items(r.Seq(key), r.Field(key)))
        {
            var t = ctx.Text(item, path);
            if (t == null) continue;
            if (rule?.Invoke(t) is { } why) { ctx.Error(item, path, code, why); continue; }
            owner.FieldPositions[$"{key}[{into.Count}]"] = ctx.Pos(item);
            into.Add(t);
        }
    }

    private static void UnderShared(ProblemList p, SpecElement e, string key, string field, string path, string shared, string what)
    {
        if (path.Length == 0 || shared.Length == 0) return;
        if (!FileServicesRules.IsUnder(path, shared))
            p.Error(e.PositionOf(key), field, SpecCodes.BadValue, $"the {what} '{Names.Printable(path)}' is not on the shared filesystem ({shared}): each node would serve its own copy");
    }
}
