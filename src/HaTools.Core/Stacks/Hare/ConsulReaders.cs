using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using HaTools.Core.Spec;
using HaTools.Core.Spec.Reading;
using HaTools.Core.Spec.Yaml;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>The sections of a <c>stack: consul</c> cluster file: consul, services, pools, profiles.</summary>
internal static class ConsulReaders
{
    public const int MaxPhase = 9;
    public const int MaxDefaultServers = 5;

    private const RegexOptions Opt = RegexOptions.CultureInvariant;
    /// <summary>Consul accepts letters, digits, '_' and '-' in a datacenter name.</summary>
    private static readonly Regex Datacenter = new Regex(@"\A[A-Za-z0-9_-]{1,64}\z", Opt);
    /// <summary>A systemd unit name, with <see cref="ConsulService.FidToken"/> allowed where the fid goes.</summary>
    private static readonly Regex Unit = new Regex(@"\A[A-Za-z0-9_.:@\\][A-Za-z0-9_.:@\\-]{0,254}\z", Opt);
    private static readonly Regex EnvName = new Regex(@"\A[A-Za-z_][A-Za-z0-9_]{0,127}\z", Opt);
    /// <summary>Consul's duration syntax (Go time.ParseDuration, the units checks use).</summary>
    private static readonly Regex GoDuration = new Regex(@"\A[0-9]{1,6}(ms|s|m|h)\z", Opt);
    private static readonly string[] ServiceKeys = { "name", "id", "node", "unit", "command", "external", "mkfs", "health", "phase", "disks" };

    public static readonly SpecSection[] Sections =
    {
        new SpecSection("consul", Consul),
        new SpecSection("services", Services),
        new SpecSection("pools", Pools),
        new SpecSection("profiles", Profiles),
    };

    private static void Consul(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        var c = spec.Section<ConsulSection>().Consul;
        var r = top.Map("consul", c, "datacenter", "servers", "ports", "encrypt", "acl_token");
        if (r == null || !r.Has("servers"))
        {
            // Without a list every node is a server, as long as that stays a Raft size Consul recommends (3 or 5).
            if (spec.Nodes.Count <= MaxDefaultServers) c.Servers.AddRange(spec.Nodes.Select(n => n.Name));
            else ctx.Error(r?.Node ?? top.Node, r?.Field("servers") ?? "consul.servers", SpecCodes.Missing,
                $"{spec.Nodes.Count} nodes: list the Consul servers (consul.servers: 3 or 5 of them); without a list every node is one, which HaTools allows up to {MaxDefaultServers}");
        }
        if (r == null) return;
        c.Datacenter = r.Checked("datacenter", d => Datacenter.IsMatch(d) ? null
            : $"invalid datacenter '{Names.Printable(d)}': 1 to 64 of letters, digits, '_' and '-'", SpecCodes.BadName) ?? c.Datacenter;
        var servers = r.Seq("servers");
        if (servers != null && servers.Items.Count == 0)
            r.Error("servers", SpecCodes.Missing, "at least one Consul server is required");
        foreach (var (item, path, i) in ReadContext.Items(servers, r.Field("servers")))
        {
            var n = ctx.Name(item, path, "node name");
            if (n == null) continue;
            c.FieldPositions[$"servers[{i}]"] = ctx.Pos(item);
            c.Servers.Add(n);
        }
        var p = r.Map("ports", c.Ports, "http", "dns", "serf_lan", "serf_wan", "server");
        if (p != null)
        {
            c.Ports.Http = p.Int("http", 1, 65535) ?? c.Ports.Http;
            c.Ports.Dns = p.Int("dns", 1, 65535) ?? c.Ports.Dns;
            c.Ports.SerfLan = p.Int("serf_lan", 1, 65535) ?? c.Ports.SerfLan;
            c.Ports.SerfWan = p.Int("serf_wan", 1, 65535) ?? c.Ports.SerfWan;
            c.Ports.Server = p.Int("server", 1, 65535) ?? c.Ports.Server;
        }
        c.Encrypt = Secret(ctx, r, "encrypt", "the gossip encryption key");
        c.AclToken = Secret(ctx, r, "acl_token", "the ACL token");
    }

    /// <summary>A secret is named, never given: a literal would end up in the file, in copies of it and in argv.</summary>
    private static SecretSource? Secret(ReadContext ctx, MapReader parent, string key, string what)
    {
        var node = parent.Get(key);
        if (node is YScalar { IsNull: false })
        {
            ctx.Error(node, parent.Field(key), SpecCodes.BadValue,
                $"{what} is never written in the cluster file: give {{ file: PATH }} (a 0600 file) or {{ env: VARIABLE }}");
            return null;
        }
        var s = new SecretSource();
        var r = ctx.Map(node, parent.Field(key), s, "file", "env");
        if (r == null) return null;
        s.File = r.Checked("file", f => SpecRules.PathProblem(f, mustBeAbsolute: false), SpecCodes.BadValue);
        s.Env = r.Checked("env", e => EnvName.IsMatch(e) ? null
            : $"invalid environment variable name '{Names.Printable(e)}': letters, digits and '_', not starting with a digit", SpecCodes.BadName);
        if (r.Has("file") == r.Has("env"))
        {
            ctx.Error(node!, parent.Field(key), SpecCodes.Conflict, $"{what}: give exactly one of file or env");
            return null;
        }
        return s.File != null || s.Env != null ? s : null;
    }

    private static void Services(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        var section = spec.Section<ConsulSection>();
        foreach (var (item, path, _) in ReadContext.Items(top.Seq("services"), top.Field("services")))
        {
            var s = new ConsulService();
            var r = ctx.Map(item, path, s, ServiceKeys);
            if (r == null) continue;
            s.Name = r.Name("name", "service name") ?? "";
            s.Id = r.Name("id", "service id", required: false) ?? s.Name;
            s.Node = r.Name("node", "node name") ?? "";
            s.Unit = UnitName(r, "unit");
            s.Command = Argv(ctx, r, "command");
            s.External = r.Bool("external") ?? false;
            var starts = (r.Has("unit") ? 1 : 0) + (r.Has("command") ? 1 : 0) + (s.External ? 1 : 0);
            if (starts != 1)
                ctx.Error(r.Node, path, starts == 0 ? SpecCodes.Missing : SpecCodes.Conflict,
                    "give exactly one of unit (a systemd unit), command (an argv) or external: true (started by someone else)");
            Mkfs(ctx, r, s);
            Health(ctx, r, s);
            if (s.Health.Kind == HealthKind.Unit && s.Command != null)
                r.Error("command", SpecCodes.Missing, "a service started by a command has no unit whose state could be its health: give health: { tcp | http | script }");
            if (s.External)
            {
                if (r.Has("phase") || r.Has("mkfs"))
                    ctx.Error(r.Node.Get("phase") ?? r.Node.Get("mkfs")!, path, SpecCodes.Conflict, "an external service has no phase and no mkfs: HaTools does not start it");
            }
            else s.Phase = r.Int("phase", 1, MaxPhase, required: true) ?? 0;
            foreach (var (d, dp, i) in ReadContext.Items(r.Seq("disks"), r.Field("disks")))
            {
                var t = ctx.Text(d, dp);
                if (t == null) continue;
                var problem = SpecRules.DevicePathProblem(t);
                if (problem != null) { ctx.Error(d, dp, SpecCodes.BadValue, problem); continue; }
                s.Disks.Add(t);
                s.FieldPositions[$"disks[{i}]"] = ctx.Pos(d);
            }
            section.Services.Add(s);
        }
    }

    private static string? UnitName(MapReader r, string key) =>
        r.Checked(key, u => Unit.IsMatch(u.Replace(ConsulService.FidToken, "f")) ? null
            : $"invalid unit name '{Names.Printable(u)}': letters, digits and _ . : @ \\ - (not starting with '-'), with {ConsulService.FidToken} where the process fid goes", SpecCodes.BadName);

    private static List<string>? Argv(ReadContext ctx, MapReader r, string key)
    {
        var seq = r.Seq(key);
        if (seq == null) return null;
        if (seq.Items.Count == 0) { r.Error(key, SpecCodes.Missing, "a command needs at least the program"); return null; }
        var argv = new List<string>();
        foreach (var (item, path, i) in ReadContext.Items(seq, r.Field(key)))
        {
            var t = ctx.Text(item, path);
            if (t == null) return null;
            if (i == 0 && !t.StartsWith("/", System.StringComparison.Ordinal))
            {
                ctx.Error(item, path, SpecCodes.BadValue, $"the program '{Names.Printable(t)}' must be an absolute path (no PATH lookup, no shell)");
                return null;
            }
            argv.Add(t);
        }
        return argv;
    }

    private static void Mkfs(ReadContext ctx, MapReader r, ConsulService s)
    {
        var m = r.Map("mkfs", null, "unit", "command");
        if (m == null) return;
        s.MkfsUnit = UnitName(m, "unit");
        s.MkfsCommand = Argv(ctx, m, "command");
        if (m.Has("unit") == m.Has("command"))
            ctx.Error(m.Node, m.Path, SpecCodes.Conflict, "mkfs: give exactly one of unit or command");
    }

    private static void Health(ReadContext ctx, MapReader r, ConsulService s)
    {
        var h = s.Health;
        var m = r.Map("health", h, "unit", "tcp", "http", "script", "interval", "timeout");
        if (m == null) return;
        var kinds = new[] { "unit", "tcp", "http", "script" }.Where(m.Has).ToList();
        if (kinds.Count > 1)
            ctx.Error(m.Node, m.Path, SpecCodes.Conflict, $"health: give one of unit, tcp, http or script (found {string.Join(", ", kinds)})");
        if (m.Has("unit") && m.Bool("unit") == false)
            m.Error("unit", SpecCodes.BadValue, "unit: false is not a check; give tcp, http or script instead");
        if (m.Has("tcp"))
        {
            h.Kind = HealthKind.Tcp;
            h.Target = m.Checked("tcp", t => Regex.IsMatch(t, @"\A[A-Za-z0-9.:-]{1,253}:[0-9]{1,5}\z") ? null
                : $"invalid tcp check '{Names.Printable(t)}': write HOST:PORT", SpecCodes.BadValue);
        }
        if (m.Has("http"))
        {
            h.Kind = HealthKind.Http;
            h.Target = m.Checked("http", u => Regex.IsMatch(u, @"\Ahttps?://[A-Za-z0-9.:\[\]-]+(/[A-Za-z0-9._~/?&=%+-]*)?\z") ? null
                : $"invalid http check '{Names.Printable(u)}': write http://HOST:PORT/PATH", SpecCodes.BadValue);
        }
        if (m.Has("script"))
        {
            h.Kind = HealthKind.Script;
            h.Args = Argv(ctx, m, "script");
        }
        h.Interval = m.Checked("interval", Duration, SpecCodes.BadDuration) ?? h.Interval;
        h.Timeout = m.Checked("timeout", Duration, SpecCodes.BadDuration);
    }

    private static string? Duration(string d) =>
        GoDuration.IsMatch(d) ? null : $"invalid duration '{Names.Printable(d)}': a number and ms, s, m or h (e.g. 1s, 30s)";

    private static void Pools(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        foreach (var (item, path, _) in ReadContext.Items(top.Seq("pools"), top.Field("pools")))
        {
            var p = new ConsulPool();
            var r = ctx.Map(item, path, p, "name", "data_units", "parity_units", "spare_units");
            if (r == null) continue;
            p.Name = r.Name("name", "pool name") ?? "";
            p.DataUnits = r.Int("data_units", 1, 1024, required: true) ?? 0;
            p.ParityUnits = r.Int("parity_units", 0, 1024, required: true) ?? 0;
            p.SpareUnits = r.Int("spare_units", 0, 1024);
            spec.Section<ConsulSection>().Pools.Add(p);
        }
    }

    private static void Profiles(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        foreach (var (item, path, _) in ReadContext.Items(top.Seq("profiles"), top.Field("profiles")))
        {
            var p = new ConsulProfile();
            var r = ctx.Map(item, path, p, "name", "pools");
            if (r == null) continue;
            p.Name = r.Name("name", "profile name") ?? "";
            var pools = r.Seq("pools", required: true);
            if (pools != null && pools.Items.Count == 0) r.Error("pools", SpecCodes.Missing, "a profile refers to at least one pool");
            foreach (var (pi, pp, i) in ReadContext.Items(pools, r.Field("pools")))
            {
                var n = ctx.Name(pi, pp, "pool name");
                if (n == null) continue;
                p.Pools.Add(n);
                p.FieldPositions[$"pools[{i}]"] = ctx.Pos(pi);
            }
            spec.Section<ConsulSection>().Profiles.Add(p);
        }
    }
}
