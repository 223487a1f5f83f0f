using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace HaTools.Core.Spec;

/// <summary>Writes a ClusterSpec as cluster.yaml (New-HaCluster). Round-trips through SpecLoader.</summary>
/// <remarks>Sections in the documented order, only those that differ from the defaults; map entries (properties,
/// params, meta) in the order they were added; generated constraint ids are left out. Values are quoted only when
/// plain YAML would read them differently.</remarks>
public static class SpecWriter
{
    public static string ToYaml(ClusterSpec spec)
    {
        var w = new StringBuilder();
        w.Append("name: ").Append(Q(spec.Name)).Append('\n');
        if (spec.Stack != StackKind.Pacemaker)
            w.Append("stack: ").Append(spec.Stack.ToString().ToLowerInvariant()).Append('\n');
        Ssh(w, "ssh", spec.Ssh, "");

        if (spec.Nodes.Count > 0)
        {
            w.Append("nodes:\n");
            foreach (var n in spec.Nodes)
            {
                w.Append("  - name: ").Append(Q(n.Name)).Append('\n');
                w.Append("    address: ").Append(Q(n.Address)).Append('\n');
                if (n.NodeId != null) w.Append("    nodeid: ").Append(I(n.NodeId.Value)).Append('\n');
                if (n.DataIface != null) w.Append("    data_iface: ").Append(Q(n.DataIface)).Append('\n');
                Ssh(w, "ssh", n.Ssh, "    ");
            }
        }

        Corosync(w, spec.Corosync);
        Quorum(w, spec.Quorum);
        Attributes(w, "properties", spec.Properties, "");
        Attributes(w, "rsc_defaults", spec.RscDefaults, "");
        Attributes(w, "op_defaults", spec.OpDefaults, "");

        if (spec.Resources.Count > 0)
        {
            w.Append("resources:\n");
            foreach (var p in spec.Resources)
            {
                w.Append("  - name: ").Append(Q(p.Name)).Append('\n');
                w.Append("    agent: ").Append(Q(p.Agent)).Append('\n');
                Attributes(w, "params", p.Params, "    ");
                Attributes(w, "meta", p.Meta, "    ");
                if (p.Ops.Count > 0)
                {
                    w.Append("    ops:\n");
                    foreach (var o in p.Ops)
                        w.Append("      - ").Append(Flow(("name", o.Name), ("interval", o.Interval), ("timeout", o.Timeout), ("role", o.Role))).Append('\n');
                }
            }
        }

        if (spec.Groups.Count > 0)
        {
            w.Append("groups:\n");
            foreach (var g in spec.Groups)
            {
                w.Append("  - name: ").Append(Q(g.Name)).Append('\n');
                w.Append("    resources: ").Append(FlowList(g.Resources)).Append('\n');
                Attributes(w, "meta", g.Meta, "    ");
            }
        }

        if (spec.Clones.Count > 0)
        {
            w.Append("clones:\n");
            foreach (var c in spec.Clones)
            {
                w.Append("  - name: ").Append(Q(c.Name)).Append('\n');
                w.Append("    resource: ").Append(Q(c.Resource)).Append('\n');
                if (c.Promotable) w.Append("    promotable: true\n");
                Attributes(w, "meta", c.Meta, "    ");
            }
        }

        Constraints(w, spec.Constraints);
        if (Stacks.StackRegistry.Builtin.TryGet(spec.StackName, out var stack)) stack.WriteSections?.Invoke(spec, w);

        if (spec.Storage.Devices.Count > 0)
        {
            w.Append("storage:\n  devices:\n");
            foreach (var d in spec.Storage.Devices)
            {
                w.Append("    - { path: ").Append(Q(d.Path, flow: true)).Append(", fstype: ").Append(Q(d.Fstype, flow: true));
                if (d.Options.Count > 0) w.Append(", options: ").Append(FlowList(d.Options));
                w.Append(", node: ").Append(Q(d.Node, flow: true)).Append(" }\n");
            }
        }
        return w.ToString();
    }

    private static void Ssh(StringBuilder w, string key, SshSpec s, string indent)
    {
        if (s.User == null && s.Port == null && s.Identity == null && s.KnownHosts == null && s.HostKeyPolicy == null && s.ConnectTimeoutSec == null && s.Transport == null)
            return;
        var i = indent + "  ";
        w.Append(indent).Append(key).Append(":\n");
        if (s.User != null) w.Append(i).Append("user: ").Append(Q(s.User)).Append('\n');
        if (s.Port != null) w.Append(i).Append("port: ").Append(I(s.Port.Value)).Append('\n');
        if (s.Identity != null) w.Append(i).Append("identity: ").Append(Q(s.Identity)).Append('\n');
        if (s.KnownHosts != null) w.Append(i).Append("known_hosts: ").Append(Q(s.KnownHosts)).Append('\n');
        if (s.HostKeyPolicy != null) w.Append(i).Append("host_key_policy: ").Append(s.HostKeyPolicy == HostKeyPolicy.AcceptNew ? "accept-new" : "strict").Append('\n');
        if (s.ConnectTimeoutSec != null) w.Append(i).Append("connect_timeout: ").Append(I(s.ConnectTimeoutSec.Value)).Append('\n');
        if (s.Transport != null) w.Append(i).Append("transport: ").Append(s.Transport).Append('\n');
    }

    private static void Corosync(StringBuilder w, CorosyncSpec c)
    {
        var defaultCrypto = c.Crypto && c.CryptoCipher == "aes256" && c.CryptoHash == "sha256";
        if (c.Transport == "knet" && c.Token == null && c.Consensus == null && defaultCrypto) return;
        w.Append("corosync:\n");
        if (c.Transport != "knet") w.Append("  transport: ").Append(Q(c.Transport)).Append('\n');
        if (c.Token != null) w.Append("  token: ").Append(I(c.Token.Value)).Append('\n');
        if (c.Consensus != null) w.Append("  consensus: ").Append(I(c.Consensus.Value)).Append('\n');
        if (!c.Crypto) w.Append("  crypto: false\n");
        else if (!defaultCrypto) w.Append("  crypto: ").Append(Flow(("cipher", c.CryptoCipher), ("hash", c.CryptoHash))).Append('\n');
    }

    private static void Quorum(StringBuilder w, QuorumSpec q)
    {
        if (q.TwoNode == null && q.WaitForAll == null && q.ExpectedVotes == null) return;
        w.Append("quorum:\n");
        if (q.TwoNode != null) w.Append("  two_node: ").Append(B(q.TwoNode.Value)).Append('\n');
        if (q.WaitForAll != null) w.Append("  wait_for_all: ").Append(B(q.WaitForAll.Value)).Append('\n');
        if (q.ExpectedVotes != null) w.Append("  expected_votes: ").Append(I(q.ExpectedVotes.Value)).Append('\n');
    }

    private static void Constraints(StringBuilder w, ConstraintsSpec cs)
    {
        if (cs.Location.Count + cs.Colocation.Count + cs.Order.Count == 0) return;
        w.Append("constraints:\n");
        if (cs.Location.Count > 0)
        {
            w.Append("  location:\n");
            foreach (var l in cs.Location)
            {
                w.Append("    - ").Append(Flow(
                    ("id", l.Id == l.DefaultId ? null : l.Id),
                    ("resource", l.Resource),
                    (l.Avoids ? "avoids" : "prefers", l.Node),
                    ("score", l.Score == "INFINITY" ? null : l.Score))).Append('\n');
            }
        }
        if (cs.Colocation.Count > 0)
        {
            w.Append("  colocation:\n");
            foreach (var c in cs.Colocation)
                w.Append("    - ").Append(Flow(
                    ("id", c.Id == c.DefaultId ? null : c.Id),
                    ("resource", c.Resource),
                    ("with", c.With),
                    ("score", c.Score == "INFINITY" ? null : c.Score))).Append('\n');
        }
        if (cs.Order.Count > 0)
        {
            w.Append("  order:\n");
            foreach (var o in cs.Order)
                w.Append("    - ").Append(Flow(
                    ("id", o.Id == o.DefaultId ? null : o.Id),
                    ("first", o.First),
                    ("then", o.Then),
                    ("kind", o.Kind == "Mandatory" ? null : o.Kind))).Append('\n');
        }
    }

    private static void Attributes(StringBuilder w, string key, Dictionary<string, string> values, string indent)
    {
        if (values.Count == 0) return;
        w.Append(indent).Append(key).Append(":\n");
        foreach (var kv in values)
            w.Append(indent).Append("  ").Append(Q(kv.Key)).Append(": ").Append(Q(kv.Value)).Append('\n');
    }

    private static string Flow(params (string Key, string? Value)[] fields) =>
        "{ " + string.Join(", ", fields.Where(f => f.Value != null && f.Value.Length > 0).Select(f => f.Key + ": " + Q(f.Value!, flow: true))) + " }";

    private static string FlowList(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(s => Q(s, flow: true))) + "]";

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string B(bool v) => v ? "true" : "false";

    private static readonly Regex Plain = new Regex(@"\A[A-Za-z0-9_./+-][A-Za-z0-9_./:@+=-]*\z", RegexOptions.CultureInvariant);
    private static readonly HashSet<string> Reserved = new HashSet<string> { "null", "Null", "NULL", "~", "True", "TRUE", "False", "FALSE", "-", "." };

    /// <summary>A scalar as YAML: plain when that reads back as the same text, double-quoted with escapes otherwise.</summary>
    internal static string Q(string s, bool flow = false)
    {
        var plain = Plain.IsMatch(s) && !Reserved.Contains(s) && !s.EndsWith(":", System.StringComparison.Ordinal)
            && !(flow && (s.IndexOf(':') >= 0 || s[0] == '-'));
        if (plain) return s;
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029' || c == '\uFEFF')
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
