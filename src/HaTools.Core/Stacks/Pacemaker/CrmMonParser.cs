using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using HaTools.Core.Model;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>
/// crm_mon --output-as=xml (Pacemaker 2.1, api crm_mon-2.x) → <see cref="ClusterStatus"/>. Unknown elements
/// and missing attributes are tolerated; malformed XML is a <see cref="PacemakerOutputException"/>.
/// crm_mon 2.1 does not print the cluster name: <see cref="ClusterStatus.Name"/> stays empty for the caller to fill.
/// </summary>
public static class CrmMonParser
{
    public const string StonithDisabledWarning = "STONITH is disabled: a node that fails cannot be fenced and may keep resources (e.g. a VIP) running";

    /// <summary>Parses a crm_mon result; a non-zero &lt;status code&gt; without a cluster summary (e.g. 102 Not connected) throws.</summary>
    public static ClusterStatus Parse(string xml)
    {
        var root = Root(xml);
        var status = root.Element("status");
        var code = Int(status, "code") ?? 0;
        if (code != 0 && root.Element("summary") == null)
            throw new PacemakerOutputException($"crm_mon: {StatusText(status!)}", null, code);
        return Build(root);
    }

    /// <summary>Like <see cref="Parse"/>, but an error status (crm_mon's non-zero exits) becomes a status with no DC,
    /// no quorum and the error as a warning, for "ask each node until one answers" loops.</summary>
    public static ClusterStatus ParseAsStatus(string xml)
    {
        var root = Root(xml);
        var status = root.Element("status");
        var code = Int(status, "code") ?? 0;
        if (root.Element("summary") != null) return Build(root);
        var result = new ClusterStatus();
        result.Warn(NoticeCodes.StatusUnavailable, code != 0 ? $"crm_mon: {StatusText(status!)}" : $"crm_mon returned no cluster summary{Errors(status)}");
        return result;
    }

    private static XElement Root(string xml)
    {
        var root = CibXml.Parse(xml, "crm_mon output");
        if (root.Name.LocalName != "pacemaker-result")
            throw new PacemakerOutputException($"crm_mon output: expected <pacemaker-result>, got <{root.Name.LocalName}> (crm_mon older than 2.0 or not --output-as=xml?)");
        return root;
    }

    private static string StatusText(XElement status) =>
        $"{(string?)status.Attribute("message") ?? "error"} (code {(string?)status.Attribute("code")}){Errors(status)}";

    private static string Errors(XElement? status)
    {
        var errors = status?.Element("errors")?.Elements("error").Select(e => e.Value.Trim()).Where(e => e.Length > 0).ToList();
        return errors == null || errors.Count == 0 ? "" : ": " + string.Join("; ", errors);
    }

    private static ClusterStatus Build(XElement root)
    {
        var s = new ClusterStatus();
        var summary = root.Element("summary");
        var dc = summary?.Element("current_dc");
        var options = summary?.Element("cluster_options");
        if (Bool(dc, "present") == true)
        {
            s.Dc = (string?)dc!.Attribute("name");
            s.Quorate = Bool(dc, "with_quorum") == true;
        }
        var maintenanceMode = Bool(options, "maintenance-mode") == true;

        if (Bool(options, "stonith-enabled") == false) s.Warn(NoticeCodes.StonithDisabled, StonithDisabledWarning);
        if (dc != null && Bool(dc, "present") != true) s.Warn(NoticeCodes.NoDc, "no DC elected");
        else if (!s.Quorate) s.Warn(NoticeCodes.NoQuorum, "cluster has no quorum");
        if (maintenanceMode) s.Warn(NoticeCodes.MaintenanceMode, "maintenance mode is on: the cluster does not start, stop or monitor resources");
        if (Bool(options, "stop-all-resources") == true) s.Warn(NoticeCodes.StopAllResources, "stop-all-resources is on: every resource is stopped");

        foreach (var n in root.Element("nodes")?.Elements("node") ?? Enumerable.Empty<XElement>())
        {
            var node = new NodeStatus
            {
                Name = (string?)n.Attribute("name") ?? "",
                Id = (string?)n.Attribute("id"),
                Online = Bool(n, "online") == true,
                Standby = Bool(n, "standby") == true || Bool(n, "standby_onfail") == true,
                Maintenance = Bool(n, "maintenance") == true,
                Unclean = Bool(n, "unclean") == true,
                IsDc = Bool(n, "is_dc") == true,
                ResourceCount = Int(n, "resources_running") ?? 0,
            };
            s.Nodes.Add(node);
            if (node.Unclean) s.Warn(NoticeCodes.NodeUnclean, $"node {node.Name} is unclean: it left the cluster without being fenced", node.Name);
            else if (!node.Online) s.Warn(NoticeCodes.NodeOffline, Bool(n, "pending") == true ? $"node {node.Name} is pending (joining)" : $"node {node.Name} is offline", node.Name);
            if (node.Maintenance) s.Warn(NoticeCodes.NodeMaintenance, $"node {node.Name} is in maintenance: its resources are not managed", node.Name);
        }

        var failures = (root.Element("failures")?.Elements("failure") ?? Enumerable.Empty<XElement>()).Select(Failure.From).ToList();
        var failCounts = FailCounts(root);
        var byNode = s.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var e in root.Element("resources")?.Elements() ?? Enumerable.Empty<XElement>())
            Walk(e, null, null, null, s, failures, failCounts, byNode, maintenanceMode);

        foreach (var f in failures) s.Warn(NoticeCodes.FailedAction, f.Describe(), f.Node);
        s.Details = Details(summary, dc, options, maintenanceMode);
        return s;
    }

    private static PacemakerStatusDetails Details(XElement? summary, XElement? dc, XElement? options, bool maintenanceMode)
    {
        var change = summary?.Element("last_change");
        var by = new[] { (string?)change?.Attribute("user"), (string?)change?.Attribute("client"), (string?)change?.Attribute("origin") };
        var resources = summary?.Element("resources_configured");
        return new PacemakerStatusDetails
        {
            ClusterLayer = (string?)summary?.Element("stack")?.Attribute("type"),
            PacemakerVersion = Bool(dc, "present") == true ? (string?)dc!.Attribute("version") : null,
            LastChange = (string?)change?.Attribute("time"),
            LastChangeBy = by.Any(b => !string.IsNullOrEmpty(b)) ? string.Join(" ", by.Where(b => !string.IsNullOrEmpty(b))) : null,
            NodesConfigured = Int(summary?.Element("nodes_configured"), "number") ?? 0,
            ResourcesConfigured = Int(resources, "number") ?? 0,
            ResourcesDisabled = Int(resources, "disabled") ?? 0,
            StonithEnabled = Bool(options, "stonith-enabled"),
            NoQuorumPolicy = (string?)options?.Attribute("no-quorum-policy"),
            MaintenanceMode = maintenanceMode,
            StopAllResources = Bool(options, "stop-all-resources") == true,
        };
    }

    private static void Walk(XElement e, string? group, string? clone, string? bundle, ClusterStatus s,
        IReadOnlyList<Failure> failures, IReadOnlyDictionary<(string Rsc, string Node), int> failCounts,
        IReadOnlyDictionary<string, NodeStatus> nodes, bool maintenanceMode)
    {
        var id = (string?)e.Attribute("id") ?? "";
        switch (e.Name.LocalName)
        {
            case "group":
                foreach (var c in e.Elements()) Walk(c, id, clone, bundle, s, failures, failCounts, nodes, maintenanceMode);
                return;
            case "clone":
                foreach (var c in e.Elements()) Walk(c, group, id, bundle, s, failures, failCounts, nodes, maintenanceMode);
                return;
            case "bundle":
                foreach (var c in e.Elements("replica").Elements()) Walk(c, group, clone, id, s, failures, failCounts, nodes, maintenanceMode);
                return;
            case "resource":
                break;
            default:
                return; // unknown element: ignored
        }

        var name = BaseId(id);
        var running = e.Elements("node").Select(n => (string?)n.Attribute("name")).Where(n => !string.IsNullOrEmpty(n)).Cast<string>().ToList();
        var role = Role((string?)e.Attribute("role")) ?? (running.Count > 0 ? "Started" : "Stopped");
        var instanceNodes = running.Count == 0 ? new List<string?> { null } : running.Cast<string?>().ToList();
        var collective = clone != null || bundle != null;
        foreach (var node in instanceNodes)
        {
            var r = new ResourceStatus
            {
                Name = name,
                Agent = Agent((string?)e.Attribute("resource_agent")),
                Role = node == null && role != "Stopped" && Bool(e, "active") != true ? "Stopped" : role,
                TargetRole = Role((string?)e.Attribute("target_role")) ?? "",
                Node = node,
                Group = group,
                Clone = clone,
                Bundle = bundle,
                Managed = Bool(e, "managed") != false,
            };
            var myFailures = failures.Where(f => f.Resource == name && (!collective || node == null || f.Node == node)).ToList();
            r.Failed = Bool(e, "failed") == true || (collective && node == null ? false : myFailures.Count > 0);
            r.FailCount = collective && node != null
                ? (failCounts.TryGetValue((name, node), out var c) ? c : 0)
                : failCounts.Where(kv => kv.Key.Rsc == name).Select(kv => kv.Value).DefaultIfEmpty(0).Max();
            s.Resources.Add(r);
        }

        if (!collective && running.Count > 1)
            s.Warn(NoticeCodes.ResourceMultiActive, $"resource {name} is active on several nodes: {string.Join(", ", running)}");
        if (Bool(e, "orphaned") == true)
            s.Warn(NoticeCodes.ResourceOrphaned, $"resource {name} is orphaned: it is not in the configuration but still active");
        if (Bool(e, "blocked") == true)
            s.Warn(NoticeCodes.ResourceBlocked, $"resource {name} is blocked: the cluster cannot act on it until the failure is cleaned up");
        if (Bool(e, "managed") == false && !maintenanceMode && !running.Any(n => nodes.TryGetValue(n, out var ns) && ns.Maintenance))
            s.Warn(NoticeCodes.ResourceUnmanaged, $"resource {name} is unmanaged: the cluster does not start, stop or recover it");
    }

    /// <summary>fail-count per (resource, node) from node_history; INFINITY counts as 1,000,000.</summary>
    private static Dictionary<(string Rsc, string Node), int> FailCounts(XElement root)
    {
        var d = new Dictionary<(string, string), int>();
        foreach (var n in root.Element("node_history")?.Elements("node") ?? Enumerable.Empty<XElement>())
        {
            var node = (string?)n.Attribute("name") ?? "";
            foreach (var h in n.Elements("resource_history"))
            {
                var count = PcmkScore.ToInt((string?)h.Attribute("fail-count"));
                if (count == null || count <= 0) continue;
                var key = (BaseId((string?)h.Attribute("id") ?? ""), node);
                d[key] = Math.Max(d.TryGetValue(key, out var c) ? c : 0, count.Value);
            }
        }
        return d;
    }

    /// <summary>A clone instance id without its instance number: "ping:1" → "ping".</summary>
    internal static string BaseId(string id)
    {
        var colon = id.LastIndexOf(':');
        return colon > 0 && id.Substring(colon + 1).All(char.IsDigit) && colon < id.Length - 1 ? id.Substring(0, colon) : id;
    }

    /// <summary>class:provider:type; crm_mon writes "ocf::heartbeat:IPaddr2" in some versions.</summary>
    internal static string Agent(string? agent)
    {
        if (string.IsNullOrEmpty(agent)) return "";
        var a = agent!.Trim();
        while (a.Contains("::")) a = a.Replace("::", ":");
        return a;
    }

    /// <summary>Pacemaker 2.1 role names (Master/Slave → Promoted/Unpromoted).</summary>
    internal static string? Role(string? role)
    {
        if (string.IsNullOrEmpty(role)) return null;
        switch (role!.Trim().ToLowerInvariant())
        {
            case "master": case "promoted": return "Promoted";
            case "slave": case "unpromoted": return "Unpromoted";
            default:
                var r = role.Trim();
                return char.ToUpperInvariant(r[0]) + r.Substring(1);
        }
    }

    private static bool? Bool(XElement? e, string attribute)
    {
        var v = (string?)e?.Attribute(attribute);
        if (v == null) return null;
        switch (v.Trim().ToLowerInvariant())
        {
            case "true": case "1": case "yes": case "on": return true;
            case "false": case "0": case "no": case "off": return false;
            default: return null;
        }
    }

    private static int? Int(XElement? e, string attribute) =>
        int.TryParse((string?)e?.Attribute(attribute), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : (int?)null;

    /// <summary>One &lt;failure&gt; (a failed action).</summary>
    private sealed class Failure
    {
        public string Resource { get; private set; } = "";
        public string Task { get; private set; } = "";
        public string Node { get; private set; } = "";
        public string ExitStatus { get; private set; } = "";
        public string ExitReason { get; private set; } = "";
        public string? When { get; private set; }
        public int? IntervalMs { get; private set; }

        public static Failure From(XElement f)
        {
            var key = (string?)f.Attribute("op_key") ?? (string?)f.Attribute("id") ?? "";
            // op_key is RESOURCE_TASK_INTERVALMS; resource ids may hold '_', so split from the right.
            var rsc = key;
            var task = (string?)f.Attribute("task") ?? "";
            var last = key.LastIndexOf('_');
            if (last > 0)
            {
                var mid = key.LastIndexOf('_', last - 1);
                if (mid > 0)
                {
                    rsc = key.Substring(0, mid);
                    if (task.Length == 0) task = key.Substring(mid + 1, last - mid - 1);
                }
            }
            return new Failure
            {
                Resource = BaseId(rsc),
                Task = task.Length == 0 ? "operation" : task,
                Node = (string?)f.Attribute("node") ?? "",
                ExitStatus = (string?)f.Attribute("exitstatus") ?? (string?)f.Attribute("status") ?? "",
                ExitReason = (string?)f.Attribute("exitreason") ?? "",
                When = (string?)f.Attribute("last-rc-change"),
                IntervalMs = Int(f, "interval"),
            };
        }

        /// <summary>"vip: monitor failed on node2 (not running: Simulated action result) at 2026-…"</summary>
        public string Describe()
        {
            var why = ExitStatus + (ExitReason.Length > 0 ? (ExitStatus.Length > 0 ? ": " : "") + ExitReason : "");
            var every = Task == "monitor" && IntervalMs > 0 ? $" (every {IntervalMs / 1000.0:0.###} s)" : "";
            return $"{Resource}: {Task}{every} failed on {Node}" + (why.Length > 0 ? $" ({why})" : "") + (string.IsNullOrEmpty(When) ? "" : $" at {When}");
        }
    }
}
