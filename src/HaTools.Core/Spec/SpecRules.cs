using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using HaTools.Core.Transport;

namespace HaTools.Core.Spec;

/// <summary>Value rules of the cluster file. Pure functions: a check returns null when the value is fine,
/// otherwise the reason, worded for the operator.</summary>
internal static class SpecRules
{
    private const RegexOptions Opt = RegexOptions.CultureInvariant;

    public static readonly Regex AttributeKey = new Regex(@"\A[A-Za-z0-9_][A-Za-z0-9_.-]*\z", Opt);
    public static readonly Regex PropertyName = new Regex(@"\A[A-Za-z0-9][A-Za-z0-9_-]*\z", Opt);
    public static readonly Regex Interface = new Regex(@"\A[A-Za-z0-9_.:][A-Za-z0-9_.:-]{0,14}\z", Opt);
    public static readonly Regex UserName = new Regex(@"\A[A-Za-z_][A-Za-z0-9_.-]{0,31}\z", Opt);
    private static readonly Regex PacemakerDuration = new Regex(@"\A[0-9]{1,9}(ms|s|m|min|h|hr)?\z", Opt);
    private static readonly Regex IsoDuration = new Regex(@"\AP(?!\z)([0-9]{1,9}Y)?([0-9]{1,9}M)?([0-9]{1,9}W)?([0-9]{1,9}D)?(T(?=[0-9])([0-9]{1,9}H)?([0-9]{1,9}M)?([0-9]{1,9}(\.[0-9]{1,9})?S)?)?\z", Opt);
    private static readonly Regex IntegerScore = new Regex(@"\A[+-]?[0-9]{1,9}\z", Opt);
    private static readonly Regex AgentPart = new Regex(@"\A[A-Za-z0-9_][A-Za-z0-9_.@+-]*\z", Opt);
    private static readonly Regex HostLabel = new Regex(@"\A[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\z", Opt);
    private static readonly Regex Ipv6Chars = new Regex(@"\A[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]{1,15})?\z", Opt);

    public static readonly string[] Stacks = { "pacemaker", "consul", "hast" };
    public static readonly string[] HostKeyPolicies = { "strict", "accept-new" };
    public static readonly string[] Transports = { "knet", "udpu", "udp" };
    public static readonly string[] Ciphers = { "aes256", "aes192", "aes128", "none" };
    public static readonly string[] Hashes = { "sha256", "sha384", "sha512", "sha1", "md5", "none" };
    public static readonly string[] AgentClasses = { "ocf", "lsb", "systemd", "service", "stonith" };
    public static readonly string[] OpNames = { "monitor", "start", "stop", "promote", "demote", "migrate_to", "migrate_from", "notify", "reload", "reload-agent" };
    public static readonly string[] OpRoles = { "Started", "Stopped", "Promoted", "Unpromoted", "Master", "Slave" };
    public static readonly string[] OrderKinds = { "Mandatory", "Optional", "Serialize" };
    public static readonly string[] Fstypes = { "ext4", "ext3", "xfs", "btrfs", "ocfs2", "gfs2", "vfat" };
    public static readonly string[] NoQuorumPolicies = { "stop", "freeze", "ignore", "demote", "suicide" };
    public static readonly string[] BooleanProperties = { "stonith-enabled", "symmetric-cluster", "maintenance-mode" };

    public const int MaxScore = 1000000;
    public const int ClusterNameMax = 32;

    /// <summary>Why a name breaks <see cref="Names"/> (nodes, resources, constraint ids, the cluster).</summary>
    public static string? NameProblem(string s, int max = 63)
    {
        // Names.IsValid is the rule; the loop below names the offending character (and also refuses a
        // trailing newline, which a regex ending in '$' would let through).
        var bad = FirstBadNameChar(s);
        if (Names.IsValid(s) && bad < 0 && s.Length <= max) return null;
        const string Rule = "use letters, digits, '.', '_' and '-', starting with a letter or digit";
        if (s.Length == 0) return "the name is empty; " + Rule;
        if (bad >= 0) return $"{DescribeChar(s[bad])} is not allowed in a name; {Rule}";
        if (!char.IsLetterOrDigit(s[0])) return $"a name must start with a letter or digit, not '{s[0]}'";
        if (s.Length > max) return $"the name is {s.Length} characters long; at most {max} are allowed";
        return Rule;
    }

    private static int FirstBadNameChar(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            if (!ok) return i;
        }
        return -1;
    }

    public static string DescribeChar(char c)
    {
        switch (c)
        {
            case ' ': return "a space";
            case '\t': return "a tab";
            case '\n': return "a newline";
            case '\r': return "a carriage return";
            case '$': case '`': case ';': case '&': case '|': case '<': case '>': case '(': case ')':
            case '\\': case '"': case '\'': case '*': case '?': case '!': case '{': case '}': case '[': case ']': case '~': case '#':
                return $"the shell metacharacter '{c}'";
        }
        if (char.IsControl(c)) return $"the control character \\x{(int)c:x2}";
        if (c > 127) return $"the non-ASCII character '{c}' (U+{(int)c:X4})";
        return $"'{c}'";
    }

    /// <summary>Control characters go into XML, config files and argv: refused, except tab where allowTab.</summary>
    public static string? ControlCharProblem(string s, bool allowTab)
    {
        foreach (var c in s)
        {
            if (c == '\t' && allowTab) continue;
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\uFFFE' || c == '\uFFFF')
                return $"contains {DescribeChar(c)}; control characters are not allowed";
        }
        return null;
    }

    public static string? DurationProblem(string s) =>
        PacemakerDuration.IsMatch(s) || IsoDuration.IsMatch(s)
            ? null
            : $"invalid duration '{Names.Printable(s)}': use a number with an optional unit ms, s, m, min, h, hr (e.g. 10s, 0, 2min) or ISO 8601 (PT10S)";

    public static string? ScoreProblem(string s)
    {
        if (s == "INFINITY" || s == "+INFINITY" || s == "-INFINITY") return null;
        if (IntegerScore.IsMatch(s) && Math.Abs(long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)) <= MaxScore) return null;
        return $"invalid score '{Names.Printable(s)}': use an integer from -{MaxScore} to {MaxScore}, INFINITY or -INFINITY";
    }

    public static bool IsNegativeScore(string s) => s.StartsWith("-", StringComparison.Ordinal) && s != "-0";

    public static string? AgentProblem(string s)
    {
        var parts = s.Split(':');
        var cls = parts[0];
        if (!AgentClasses.Contains(cls))
            return $"unknown agent class '{Names.Printable(cls)}' in '{Names.Printable(s)}': use ocf:PROVIDER:TYPE, lsb:TYPE, systemd:TYPE, service:TYPE or stonith:TYPE" + Hint(cls, AgentClasses);
        var want = cls == "ocf" ? 3 : 2;
        if (parts.Length != want)
            return cls == "ocf"
                ? $"invalid agent '{Names.Printable(s)}': ocf agents are written ocf:PROVIDER:TYPE (e.g. ocf:heartbeat:IPaddr2)"
                : $"invalid agent '{Names.Printable(s)}': {cls} agents are written {cls}:TYPE";
        for (var i = 1; i < parts.Length; i++)
            if (!AgentPart.IsMatch(parts[i]))
                return $"invalid agent '{Names.Printable(s)}': '{Names.Printable(parts[i])}' is not a valid provider or type name";
        return null;
    }

    /// <summary>IPv4, IPv6, a DNS host name, or "local".</summary>
    public static string? AddressProblem(string s)
    {
        if (s == "local") return null;
        var shown = Names.Printable(s);
        if (s.Length == 0) return "the address is empty";
        if (s.StartsWith("[", StringComparison.Ordinal)) return $"invalid address '{shown}': write an IPv6 address without brackets";
        if (s.IndexOf(':') >= 0)
        {
            return Ipv6Chars.IsMatch(s) && IPAddress.TryParse(s, out var a6) && a6.AddressFamily == AddressFamily.InterNetworkV6
                ? null
                : $"invalid IPv6 address '{shown}'";
        }
        if (s.All(c => (c >= '0' && c <= '9') || c == '.'))
        {
            var parts = s.Split('.');
            var ok = parts.Length == 4 && parts.All(p => p.Length >= 1 && p.Length <= 3 && (p.Length == 1 || p[0] != '0') && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
            return ok ? null : $"invalid IPv4 address '{shown}'";
        }
        var labels = s.Split('.');
        if (s.Length > 253 || !labels.All(l => HostLabel.IsMatch(l)))
            return $"invalid address '{shown}': use an IPv4 or IPv6 address, a DNS host name (letters, digits, '-' and '.'), or local";
        return null;
    }

    private static readonly System.Text.RegularExpressions.Regex DevicePathPattern =
        new System.Text.RegularExpressions.Regex(@"^/[A-Za-z0-9._/+@:-]*\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>A device to format: what NodeCommands (blkid, mkfs) accept, checked here so that such a file is refused
    /// before anything changes, not in the middle of a bootstrap.</summary>
    public static string? DevicePathProblem(string s)
    {
        var p = PathProblem(s, mustBeAbsolute: true);
        if (p != null) return p;
        if (!DevicePathPattern.IsMatch(s) || s.Split('/').Any(x => x == ".."))
            return $"device path '{Names.Printable(s)}' may hold only letters, digits and . _ / + @ : - (no '..')";
        return null;
    }

    public static string? PathProblem(string s, bool mustBeAbsolute)
    {
        var shown = Names.Printable(s);
        if (s.Length == 0) return "the path is empty";
        if (s.Length > 4096) return "the path is longer than 4096 characters";
        var cc = ControlCharProblem(s, allowTab: false);
        if (cc != null) return "the path " + cc;
        if (s.StartsWith("-", StringComparison.Ordinal)) return $"path '{shown}' must not start with '-'";
        if (mustBeAbsolute && !s.StartsWith("/", StringComparison.Ordinal)) return $"path '{shown}' must be absolute (start with /)";
        return null;
    }

    /// <summary>" (did you mean 'x'?)" for a close candidate, or "".</summary>
    public static string Hint(string s, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestD = int.MaxValue;
        foreach (var c in candidates)
        {
            var d = string.Equals(c, s, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(s.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestD) { bestD = d; best = c; }
        }
        return best != null && bestD <= Math.Max(1, Math.Min(3, best.Length / 3)) ? $" (did you mean '{best}'?)" : "";
    }

    private static int Distance(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64) return int.MaxValue;
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            var t = prev; prev = cur; cur = t;
        }
        return prev[b.Length];
    }
}
