using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>
/// The Consul agent configuration of each node, made from the cluster file alone (and the data addresses read on the
/// nodes), as three JSON files in the agent's configuration folder:
/// <list type="bullet">
/// <item><c>hatools-agent.json</c>: datacenter, node name, server or client, bind/advertise on the data interface,
/// HTTP on loopback only, ports, retry_join, the data folder.</item>
/// <item><c>hatools-secrets.json</c> (0600, only when the file names a secret): the gossip key and the ACL block with
/// the token. Consul reads <c>encrypt</c> and ACL tokens only from its configuration, so this file is where they live on
/// the node; it travels on stdin and is never shown.</item>
/// <item><c>hatools-services.json</c>: the node's services and their checks (Hare's update-consul-conf writes the same
/// kind of definitions; script checks are allowed only from files, <c>enable_local_script_checks</c>).</item>
/// </list>
/// The stock packages start <c>consul agent -config-dir=/etc/consul.d</c> and Consul reads the folder's files in name
/// order, later values winning: <c>hatools-*.json</c> sort after the packaged <c>consul.hcl</c>, so HaTools' settings win.
/// </summary>
public static class ConsulAgentConfig
{
    public const string ConfigDir = "/etc/consul.d";
    public const string AgentFile = ConfigDir + "/hatools-agent.json";
    public const string SecretsFile = ConfigDir + "/hatools-secrets.json";
    public const string ServicesFile = ConfigDir + "/hatools-services.json";
    public const string DataDir = "/var/lib/consul";
    /// <summary>Node meta key naming the HaTools cluster an agent belongs to (pre-flight tells a foreign agent by it).</summary>
    public const string ClusterMetaKey = "hatools-cluster";

    /// <summary>A unit's state as a Consul script check, as Hare's check-service judges it: active or deactivating is
    /// passing (exit 0), failed is critical (2), anything else (inactive, activating) warning (1). Without systemd the
    /// init script's LSB status: 0 running, 3 not running (warning), anything else critical.</summary>
    internal const string UnitCheckScript = @"if [ -d /run/systemd/system ]; then
  case $(systemctl is-active ""$1"" 2>/dev/null) in active|deactivating) exit 0 ;; failed) exit 2 ;; *) exit 1 ;; esac
elif [ -x ""/etc/init.d/$1"" ]; then
  ""/etc/init.d/$1"" status >/dev/null 2>&1; case $? in 0) exit 0 ;; 3) exit 1 ;; *) exit 2 ;; esac
else echo ""no unit $1 on this node""; exit 2; fi
";

    /// <summary>The IP each node's agent binds to and Motr endpoints use: its data interface's (read on the node,
    /// <paramref name="probed"/>) when it has one, else its address, which must then be an IP.</summary>
    public static IReadOnlyDictionary<string, string> DataAddresses(ClusterSpec spec, IReadOnlyDictionary<string, string> probed)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var n in spec.Nodes)
        {
            var ip = n.DataIface != null && probed.TryGetValue(n.Name, out var p) && p.Length > 0 ? p : n.Address;
            if (!System.Net.IPAddress.TryParse(ip, out _))
                throw new HaException(n.DataIface != null
                    ? $"node '{n.Name}': its data interface {n.DataIface} has no IPv4 address: Consul binds to it"
                    : $"node '{n.Name}': Consul binds to an IP; address '{Names.Printable(n.Address)}' is none: give the node an IP address or a data_iface") { Target = n.Name };
            map[n.Name] = ip;
        }
        return map;
    }

    /// <summary><c>hatools-agent.json</c> of <paramref name="node"/>.</summary>
    public static string Agent(ClusterSpec spec, string node, IReadOnlyDictionary<string, string> addresses)
    {
        var s = spec.Section<ConsulSection>();
        var c = s.Consul;
        var me = addresses[node];
        var server = s.IsServer(node);
        var o = new JObj
        {
            { "datacenter", c.Datacenter },
            { "primary_datacenter", c.AclToken != null ? c.Datacenter : null },
            { "node_name", node },
            { "node_meta", new JObj { { ClusterMetaKey, spec.Name } } },
            { "data_dir", DataDir },
            { "server", server },
            // Every server waits for all of them before electing (Consul: give each server the same value); no server
            // is special, so the start order does not matter and a server that never comes is named by the leader wait.
            { "bootstrap_expect", server ? c.Servers.Count : (int?)null },
            { "bind_addr", me },
            { "advertise_addr", me },
            // HTTP and DNS on loopback only: HaTools reaches the API through ssh on the node, so no port is opened for it.
            { "client_addr", "127.0.0.1" },
            { "retry_join", c.Servers.Where(x => !string.Equals(x, node, StringComparison.Ordinal)).Select(x => JoinAddress(addresses[x], c.Ports)).ToList() },
            { "ports", new JObj { { "http", c.Ports.Http }, { "dns", c.Ports.Dns }, { "serf_lan", c.Ports.SerfLan }, { "serf_wan", c.Ports.SerfWan }, { "server", c.Ports.Server } } },
            { "enable_local_script_checks", true },
            { "disable_update_check", true },
        };
        // leave_on_terminate stays Consul's default (servers stay Raft peers when stopped, clients leave): a server that
        // left on every stop would shrink the peer set until the next start could not elect a leader.
        return JsonText.Indented(o);
    }

    /// <summary><c>hatools-secrets.json</c> of <paramref name="node"/>; null when the file names no secret.</summary>
    public static string? Secrets(ClusterSpec spec, string node, ConsulSecrets secrets)
    {
        if (secrets.Encrypt == null && secrets.AclToken == null) return null;
        var o = new JObj { { "encrypt", secrets.Encrypt } };
        if (secrets.AclToken != null)
        {
            // One token for everything: it is the initial management token the servers create when the cluster first
            // elects a leader (Consul 1.11+), the agents' own token, and the one HaTools sends. default_policy deny.
            var tokens = new JObj { { "initial_management", spec.Section<ConsulSection>().IsServer(node) ? secrets.AclToken : null }, { "agent", secrets.AclToken } };
            o.Add("acl", new JObj { { "enabled", true }, { "default_policy", "deny" }, { "enable_token_persistence", true }, { "tokens", tokens } });
        }
        return JsonText.Indented(o);
    }

    /// <summary><c>hatools-services.json</c> of <paramref name="node"/>: its services (every one with a check except the
    /// external ones), each tagged with its phase and, for Motr processes, its fid and endpoint (hctl status reads
    /// them off the health checks).</summary>
    public static string Services(ClusterSpec spec, string node, IReadOnlyList<MotrProcess> motr)
    {
        var list = new List<object>();
        foreach (var svc in spec.Section<ConsulSection>().Services.Where(x => string.Equals(x.Node, node, StringComparison.Ordinal)))
        {
            var proc = motr.FirstOrDefault(p => p.Service == svc);
            var tags = new List<string>();
            if (!svc.External) tags.Add("phase=" + svc.Phase.ToString(CultureInfo.InvariantCulture));
            if (proc != null) { tags.Add("fid=" + proc.Fid); tags.Add("ep=" + proc.Endpoint); }
            list.Add(new JObj
            {
                { "id", svc.Id },
                { "name", svc.Name },
                { "tags", tags },
                { "check", svc.External ? null : Check(svc, proc) },
            });
        }
        return JsonText.Indented(new JObj { { "services", list } });
    }

    /// <summary>The check id of a service's one check (given explicitly, so sessions can be bound to it by name).</summary>
    public static string CheckId(ConsulService svc) => "service:" + svc.Id;

    /// <summary>The unit a service runs as, with its fid in place of <see cref="ConsulService.FidToken"/>.</summary>
    public static string? UnitOf(ConsulService svc, string? unit, MotrProcess? proc) =>
        unit == null ? null : proc != null ? unit.Replace(ConsulService.FidToken, proc.Fid) : unit;

    private static JObj Check(ConsulService svc, MotrProcess? proc)
    {
        var h = svc.Health;
        var o = new JObj { { "id", CheckId(svc) }, { "name", $"{svc.Name} on {svc.Node}" } };
        switch (h.Kind)
        {
            case HealthKind.Unit: o.Add("args", new List<string> { "/bin/sh", "-c", UnitCheckScript, "check", UnitOf(svc, svc.Unit, proc)! }); break;
            case HealthKind.Tcp: o.Add("tcp", h.Target); break;
            case HealthKind.Http: o.Add("http", h.Target); break;
            case HealthKind.Script: o.Add("args", h.Args); break;
        }
        o.Add("interval", h.Interval);
        o.Add("timeout", h.Timeout);
        // Registered as warning, as Hare does: not passing before it ran once, not critical either (a session bound to
        // a critical check cannot be made, so the RC leader could not be elected before the services start).
        o.Add("status", "warning");
        return o;
    }

    private static string JoinAddress(string ip, ConsulPorts ports)
    {
        if (ports.SerfLan == ConsulPorts.DefaultSerfLan) return ip;
        var port = ports.SerfLan.ToString(CultureInfo.InvariantCulture);
        return ip.Contains(':') ? $"[{ip}]:{port}" : $"{ip}:{port}";
    }

    /// <summary>The files of one node as pushes: agent and services 0644, the secrets 0600 (owned by
    /// <paramref name="secretOwner"/>, the user the agent runs as, when it is not root).</summary>
    public static IReadOnlyList<FileSpec> Files(ClusterSpec spec, string node, IReadOnlyDictionary<string, string> addresses, ConsulSecrets secrets,
        IReadOnlyList<MotrProcess> motr, string? secretOwner)
    {
        var utf8 = new UTF8Encoding(false);
        var files = new List<FileSpec>
        {
            new FileSpec(AgentFile, utf8.GetBytes(Agent(spec, node, addresses)), "0644"),
            new FileSpec(ServicesFile, utf8.GetBytes(Services(spec, node, motr)), "0644"),
        };
        if (Secrets(spec, node, secrets) is { } sec)
            files.Add(new FileSpec(SecretsFile, utf8.GetBytes(sec), "0600") { Owner = secretOwner, Secret = true });
        return files;
    }
}
