namespace HaTools.TestKit;

/// <summary>The exact argv of Pacemaker's steps as the nodes must receive them, written out here once (not derived
/// from the production builders, so a changed command fails the tests that expect it).</summary>
public static class PacemakerCalls
{
    public static string[] CrmMon => new[] { "crm_mon", "--one-shot", "--inactive", "--output-as=xml" };

    public static string[] QueryCib => new[] { "cibadmin", "--query" };

    public static string[] ReplaceConfiguration => new[] { "cibadmin", "--replace", "--scope", "configuration", "--xml-pipe" };

    public static string[] Move(string resource, string node) => new[] { "crm_resource", "--resource", resource, "--move", "--node", node };

    public static string[] Move(string resource, string node, string lifetime) =>
        new[] { "crm_resource", "--resource", resource, "--move", "--node", node, "--lifetime", lifetime };

    public static string[] Clear(string resource) => new[] { "crm_resource", "--resource", resource, "--clear" };

    public static string[] Standby(string node, bool on) =>
        new[] { "crm_attribute", "--node", node, "--name", "standby", "--update", on ? "on" : "off", "--lifetime", "forever" };

    public static string[] TargetRole(string resource, string role) =>
        new[] { "crm_resource", "--resource", resource, "--meta", "--set-parameter", "target-role", "--parameter-value", role };
}
