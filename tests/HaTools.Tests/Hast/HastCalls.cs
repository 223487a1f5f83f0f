namespace HaTools.Tests.Hast;

/// <summary>The exact argv of stack: hast's node commands as the nodes must receive them, written out here once (not
/// derived from HastCommands, so a changed command fails the tests that expect it). FreeBSD's own spellings: hastctl(8),
/// zpool-import(8)/zpool-export(8), ifconfig(8) with carp(4), service(8).</summary>
internal static class HastCalls
{
    public static string[] List(string res) => new[] { "hastctl", "list", res };
    public static string[] ListAll => new[] { "hastctl", "list" };
    public static string[] StatusAll => new[] { "hastctl", "status" };
    public static string[] Role(string role, string res) => new[] { "hastctl", "role", role, res };
    public static string[] Create(string res) => new[] { "hastctl", "create", res };
    public static string[] Dump(string res) => new[] { "hastctl", "dump", res };
    public static string[] ZpoolList(string pool) => new[] { "zpool", "list", "-H", "-o", "name,health", pool };
    public static string[] ZpoolImportable => new[] { "zpool", "import", "-d", "/dev/hast" };
    public static string[] Export(string pool) => new[] { "zpool", "export", pool };
    public static string[] Import(string pool) => new[] { "zpool", "import", "-o", "cachefile=none", "-d", "/dev/hast", pool };
    public static string[] ImportForced(string pool) => new[] { "zpool", "import", "-f", "-o", "cachefile=none", "-d", "/dev/hast", pool };
    public static string[] Ifconfig(string iface) => new[] { "ifconfig", iface };
    public static string[] Advskew(string iface, int vhid, int skew) => new[] { "ifconfig", iface, "vhid", vhid.ToString(), "advskew", skew.ToString() };
    public static string[] StateBackup(string iface, int vhid) => new[] { "ifconfig", iface, "vhid", vhid.ToString(), "state", "backup" };
    public static string[] Hastd(string action) => new[] { "service", "hastd", action };

    /// <summary>The device wait: the script is the production one (its text is tested by running it), the arguments are
    /// written out.</summary>
    public static bool IsWaitDevice(System.Collections.Generic.IReadOnlyList<string> a, string res, string want, string tenths) =>
        a.Count == 7 && a[0] == "sh" && a[1] == "-c" && a[3] == "hatools-hast" && a[4] == "/dev/hast/" + res && a[5] == want && a[6] == tenths;
}
