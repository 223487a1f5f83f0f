using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using HaTools.Core.Model;
using HaTools.Core.Spec.Yaml;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>Reads a saved <c>hctl status</c> (its text, older and newer layouts, or <c>--json</c>) into a
/// <see cref="ClusterStatus"/> of stack consul with <see cref="ConsulStatusDetails"/>. Formats: Hare's hare-status
/// (H20 and H24) and the outputs in its rfc/11 README.</summary>
public static class HctlStatusParser
{
    private const RegexOptions Opt = RegexOptions.CultureInvariant;
    private static readonly Regex Fid = new Regex(@"\A0x[0-9a-f]+:0x[0-9a-f]+\z", Opt);
    private static readonly Regex PoolLine = new Regex(@"\A(0x[0-9a-f]+:0x[0-9a-f]+)(?:\s+'([^']*)')?\z", Opt);
    private static readonly Regex ProfileLine = new Regex(@"\A(0x[0-9a-f]+:0x[0-9a-f]+)\s+'([^']*)':((?:\s+'[^']*')*)\z", Opt);
    /// <summary>A service line; HaTools writes '-' for the fid and endpoint of a service that is no Motr process.</summary>
    private static readonly Regex ServiceLine = new Regex(@"\A\[(started|offline|unknown)\]\s+(\S+)\s+(0x[0-9a-f]+:0x[0-9a-f]+|-)\s+(\S+)\z", Opt);
    private static readonly Regex NodeLine = new Regex(@"\A(\S+)(\s+\(RC\))?\z", Opt);
    private static readonly Regex Quoted = new Regex(@"'([^']*)'", Opt);

    /// <summary>Text or JSON, told apart by the first character.</summary>
    public static ClusterStatus Parse(string text)
    {
        var t = (text ?? "").TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var details = t.StartsWith("{", StringComparison.Ordinal) ? ParseJson(t) : ParseText(t);
        return ToStatus(details);
    }

    public static ConsulStatusDetails ParseText(string text)
    {
        var d = new ConsulStatusDetails();
        string? block = null;
        HareNodeServices? node = null;
        var lines = ConsulOutputParser.Lines(text);
        for (var i = 0; i < lines.Count; i++)
        {
            var raw = lines[i];
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal)) continue;
            var indented = raw.StartsWith(" ", StringComparison.Ordinal);
            if (!indented)
            {
                if (line.StartsWith("Profile:", StringComparison.Ordinal))
                {
                    d.Profile = line.Substring("Profile:".Length).Trim();
                    if (!Fid.IsMatch(d.Profile)) throw Bad(i, "a profile fid");
                    block = null;
                    continue;
                }
                block = line switch
                {
                    "Data pools:" => "pools",
                    "Profiles:" => "profiles",
                    "Services:" => "services",
                    _ => throw Bad(i, "'Profile:', 'Data pools:', 'Profiles:' or 'Services:'"),
                };
                continue;
            }
            switch (block)
            {
                case "pools":
                    var pm = PoolLine.Match(line);
                    if (!pm.Success) throw Bad(i, "a pool: FID ['NAME']");
                    d.Pools.Add(new HarePool { Fid = pm.Groups[1].Value, Name = pm.Groups[2].Success ? pm.Groups[2].Value : null });
                    break;
                case "profiles":
                    var fm = ProfileLine.Match(line);
                    if (!fm.Success) throw Bad(i, "a profile: FID 'NAME': 'POOL' …");
                    d.Profiles.Add(new HareProfile
                    {
                        Fid = fm.Groups[1].Value,
                        Name = fm.Groups[2].Value,
                        Pools = Quoted.Matches(fm.Groups[3].Value).Cast<Match>().Select(m => m.Groups[1].Value).ToList(),
                    });
                    break;
                case "services":
                    var sm = ServiceLine.Match(line);
                    if (sm.Success)
                    {
                        if (node == null) throw Bad(i, "a node line before its services");
                        node.Services.Add(new HareService { Node = node.Name, State = State(sm.Groups[1].Value), Name = sm.Groups[2].Value, Fid = Dash(sm.Groups[3].Value), Endpoint = Dash(sm.Groups[4].Value) });
                        break;
                    }
                    var nm = NodeLine.Match(line);
                    if (!nm.Success || line.StartsWith("[", StringComparison.Ordinal)) throw Bad(i, "a node name or '[STATE]  NAME  FID  ENDPOINT'");
                    node = new HareNodeServices { Name = nm.Groups[1].Value, IsRcLeader = nm.Groups[2].Success };
                    if (node.IsRcLeader)
                    {
                        if (d.RcLeader != null) throw Bad(i, "one (RC) node; a second one");
                        d.RcLeader = node.Name;
                    }
                    d.Nodes.Add(node);
                    break;
                default:
                    throw Bad(i, "a section header");
            }
        }
        if (block == null && d.Nodes.Count == 0) throw ConsulOutputParser.Bad("not hctl status output (no 'Services:')");
        return d;
    }

    public static ConsulStatusDetails ParseJson(string json)
    {
        var root = JsonDoc.Obj(JsonDoc.Parse(json, "hctl status --json"), "hctl status --json");
        var d = new ConsulStatusDetails { Profile = JsonDoc.OptStr(root, "profile") };
        foreach (var p in JsonDoc.OptSeq(root, "pools"))
            d.Pools.Add(p is YMap pm ? new HarePool { Fid = JsonDoc.Str(pm, "fid"), Name = JsonDoc.OptStr(pm, "name") } : new HarePool { Fid = JsonDoc.Scalar(p, "pools") });
        foreach (var p in JsonDoc.OptSeq(root, "profiles"))
        {
            var pm = JsonDoc.Obj(p, "profile");
            d.Profiles.Add(new HareProfile { Fid = JsonDoc.Str(pm, "fid"), Name = JsonDoc.Str(pm, "name"), Pools = JsonDoc.OptStrList(pm, "pools").ToList() });
        }
        if (root.Get("filesystem") is YMap fs)
        {
            d.FilesystemDate = JsonDoc.OptStr(fs, "date");
            if (fs.Get("stats") is YMap stats)
                foreach (var e in stats.Entries)
                    d.FilesystemStats[e.Key.Value] = JsonDoc.Long(stats, e.Key.Value);
        }
        foreach (var n in JsonDoc.OptSeq(root, "nodes"))
        {
            var nm = JsonDoc.Obj(n, "node");
            var node = new HareNodeServices { Name = JsonDoc.Str(nm, "name") };
            foreach (var s in JsonDoc.OptSeq(nm, "svcs"))
            {
                var sm = JsonDoc.Obj(s, "service");
                node.Services.Add(new HareService
                {
                    Node = node.Name,
                    Name = JsonDoc.Str(sm, "name"),
                    Fid = JsonDoc.Str(sm, "fid"),
                    Endpoint = JsonDoc.Str(sm, "ep"),
                    State = State(JsonDoc.Str(sm, "status")),
                });
            }
            d.Nodes.Add(node);
        }
        return d;
    }

    /// <summary>The common part: a node is online when one of its services is started; the RC leader is the cluster's
    /// coordinator (Dc) and its presence stands for quorum, since Hare elects it only on a working Consul.</summary>
    public static ClusterStatus ToStatus(ConsulStatusDetails d)
    {
        var s = new ClusterStatus { Stack = ConsulStack.StackName, Dc = d.RcLeader, Quorate = d.RcLeader != null, Details = d };
        foreach (var n in d.Nodes)
            s.Nodes.Add(new NodeStatus
            {
                Name = n.Name,
                Online = n.Services.Any(x => x.State == HareServiceState.Started),
                IsDc = n.IsRcLeader,
                ResourceCount = n.Services.Count,
            });
        if (d.RcLeader == null && d.Nodes.Count > 0) s.Warnings.Add("no RC leader is marked (the JSON output does not say; the text marks it '(RC)')");
        return s;
    }

    private static string Dash(string v) => v == "-" ? "" : v;

    private static HareServiceState State(string s) => s switch
    {
        "started" => HareServiceState.Started,
        "offline" => HareServiceState.Offline,
        "unknown" => HareServiceState.Unknown,
        _ => throw ConsulOutputParser.Bad($"unknown service status '{Names.Printable(s)}'"),
    };

    private static HareOutputException Bad(int index, string expected) =>
        new HareOutputException($"cannot read hctl status: line {(index + 1).ToString(CultureInfo.InvariantCulture)}: expected {expected}");
}
