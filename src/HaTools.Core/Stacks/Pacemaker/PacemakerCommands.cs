using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using HaTools.Core.Model;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>
/// argv for the Pacemaker 2.1 command-line tools. Pure: every name is checked (<see cref="CibIds.RequireName"/>,
/// i.e. Names.Require) before any argv exists, each value is its own argv element, and XML goes to stdin
/// (--xml-pipe), never into argv. The transport quotes each element once.
/// </summary>
public static class PacemakerCommands
{
    /// <summary>Sections crm_attribute --type accepts for cluster-wide options.</summary>
    public static readonly string[] PropertySections = { "crm_config", "rsc_defaults", "op_defaults" };

    private static readonly Regex IsoDuration = new Regex(@"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$", RegexOptions.CultureInvariant);

    private static readonly string[] DeletableKinds = { "primitive", "group", "clone", "rsc_location", "rsc_colocation", "rsc_order" };

    /// <summary>The whole CIB as XML on stdout.</summary>
    public static string[] QueryCib() => new[] { "cibadmin", "--query" };

    /// <summary>Replace the configuration section; the &lt;configuration&gt; XML (<see cref="CibPlan.NewConfiguration"/>, <see cref="CibXml.ToText(XElement)"/>) goes to stdin.</summary>
    public static string[] ReplaceConfiguration() => new[] { "cibadmin", "--replace", "--scope", "configuration", "--xml-pipe" };

    /// <summary>Status as XML (crm_mon-2.x schema). --inactive lists stopped resources too (XML output shows
    /// them already in 2.1.5; the flag keeps that explicit). Exit code 102 with &lt;status code="102"&gt; when no cluster answers.</summary>
    public static string[] Status() => new[] { "crm_mon", "--one-shot", "--inactive", "--output-as=xml" };

    /// <summary>crm_resource --move: writes a cli-prefer-RESOURCE location constraint (INFINITY on the node). Without a
    /// lifetime it stays until <see cref="ClearMove"/>; with an ISO 8601 duration (PT1H) it expires by itself.</summary>
    public static string[] Move(string resource, string node, string? lifetime = null)
    {
        var argv = new[] { "crm_resource", "--resource", Resource(resource), "--move", "--node", Node(node) };
        if (lifetime == null) return argv;
        if (!IsoDuration.IsMatch(lifetime))
            throw new HaException($"move lifetime '{Transport.Names.Printable(lifetime)}' is not an ISO 8601 duration such as PT1H or P1D") { Target = resource };
        return argv.Concat(new[] { "--lifetime", lifetime }).ToArray();
    }

    /// <summary>crm_resource --clear: removes the cli-prefer-/cli-ban- constraints of --move and --ban (only those for the node, when given).</summary>
    public static string[] ClearMove(string resource, string? node = null) =>
        WithNode(new[] { "crm_resource", "--resource", Resource(resource), "--clear" }, node);

    /// <summary>crm_resource --cleanup: forgets past failures and fail counts (on one node, when given), so the cluster re-checks the resource.</summary>
    public static string[] Cleanup(string resource, string? node = null) =>
        WithNode(new[] { "crm_resource", "--resource", Resource(resource), "--cleanup" }, node);

    /// <summary>Start: meta target-role=Started. Set it on the top-level resource (the clone or group, not its member).</summary>
    public static string[] Start(string resource) => TargetRole(resource, "Started");

    /// <summary>Stop: meta target-role=Stopped (stays stopped until started again; survives reboots).</summary>
    public static string[] Stop(string resource) => TargetRole(resource, "Stopped");

    /// <summary>crm_resource --restart: sets target-role=Stopped, waits until it and what depends on it are stopped,
    /// then restores the previous target-role and waits for the start. Blocks; --timeout bounds each wait.</summary>
    public static string[] Restart(string resource, TimeSpan? timeout = null)
    {
        var argv = new[] { "crm_resource", "--resource", Resource(resource), "--restart" };
        return timeout == null ? argv : argv.Concat(Timeout(timeout.Value)).ToArray();
    }

    /// <summary>crm_resource --wait: blocks until the cluster has no pending actions (the transition is complete).</summary>
    public static string[] WaitForIdle(TimeSpan timeout) =>
        new[] { "crm_resource", "--wait" }.Concat(Timeout(timeout)).ToArray();

    /// <summary>Standby on/off as the permanent node attribute (what crm_standby and pcs node standby write).</summary>
    public static string[] SetStandby(string node, bool standby) =>
        new[] { "crm_attribute", "--node", Node(node), "--name", "standby", "--update", standby ? "on" : "off", "--lifetime", "forever" };

    /// <summary>Query one cluster option. Exit code 105 (no such object) when it is not set.</summary>
    public static string[] GetProperty(string name, string section = "crm_config") =>
        new[] { "crm_attribute", "--type", Section(section), "--name", Option(name), "--query" };

    /// <summary>Set one cluster option. For rsc_defaults/op_defaults, crm_attribute 2.1.5 also resolves the local host
    /// as a cluster node, so run it on a cluster node (it fails with exit 105 elsewhere, e.g. on a CIB file).</summary>
    public static string[] SetProperty(string name, string value, string section = "crm_config") =>
        new[] { "crm_attribute", "--type", Section(section), "--name", Option(name), "--update", Value(value, name) };

    public static string[] DeleteProperty(string name, string section = "crm_config") =>
        new[] { "crm_attribute", "--type", Section(section), "--name", Option(name), "--delete" };

    /// <summary>cibadmin --create: adds the element on stdin (a primitive, a constraint) to the scope; fails when its id exists.</summary>
    public static string[] Create(string scope)
    {
        if (scope != "resources" && scope != "constraints") throw new ArgumentException("scope must be resources or constraints", nameof(scope));
        return new[] { "cibadmin", "--create", "--scope", scope, "--xml-pipe" };
    }

    /// <summary>cibadmin --delete: removes the first element matching the XML on stdin (<see cref="DeleteInput"/>).
    /// A resource that constraints still refer to cannot be deleted (the CIB would not validate): delete those first.
    /// Deleting something that is not there succeeds.</summary>
    public static string[] Delete(string scope)
    {
        if (scope != "resources" && scope != "constraints") throw new ArgumentException("scope must be resources or constraints", nameof(scope));
        return new[] { "cibadmin", "--delete", "--scope", scope, "--xml-pipe" };
    }

    /// <summary>stdin for <see cref="Delete"/>: &lt;KIND id="ID"/&gt;, e.g. &lt;primitive id="vip"/&gt; or &lt;rsc_location id="loc-vip-node1"/&gt;.</summary>
    public static string DeleteInput(string kind, string id)
    {
        if (!DeletableKinds.Contains(kind)) throw new ArgumentException($"kind must be one of {string.Join(", ", DeletableKinds)}", nameof(kind));
        return new XElement(kind, new XAttribute("id", CibIds.Require(id, kind + " id"))).ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The scope (resources or constraints) a <see cref="DeleteInput"/> kind lives in.</summary>
    public static string ScopeOf(string kind) => kind.StartsWith("rsc_", StringComparison.Ordinal) ? "constraints" : "resources";

    private static string[] TargetRole(string resource, string role) =>
        new[] { "crm_resource", "--resource", Resource(resource), "--meta", "--set-parameter", "target-role", "--parameter-value", role };

    private static string[] WithNode(string[] argv, string? node) =>
        node == null ? argv : argv.Concat(new[] { "--node", Node(node) }).ToArray();

    private static string[] Timeout(TimeSpan t)
    {
        if (t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(t), "timeout must be positive");
        return new[] { "--timeout", ((long)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s" };
    }

    private static string Resource(string name) => CibIds.Require(name, "resource name");

    private static string Node(string name) => CibIds.RequireName(name, "node name");

    private static string Option(string name) => CibIds.RequireName(name, "property name");

    private static string Section(string section) =>
        PropertySections.Contains(section) ? section : throw new ArgumentException($"section must be one of {string.Join(", ", PropertySections)}", nameof(section));

    private static string Value(string value, string name)
    {
        if (value == null) throw new ArgumentNullException(nameof(value));
        if (value.Any(char.IsControl))
            throw new HaException($"value of {name} '{Transport.Names.Printable(value)}' has control characters") { Target = name };
        return value;
    }
}
