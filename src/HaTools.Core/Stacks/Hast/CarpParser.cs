using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace HaTools.Core.Stacks.Hast;

public enum CarpState
{
    Unknown,
    Init,
    Backup,
    Master,
}

/// <summary>One CARP vhid on one interface, from <c>ifconfig</c>.</summary>
public sealed class CarpStatus
{
    public string Interface { get; set; } = "";
    public int Vhid { get; set; }
    public CarpState State { get; set; }
    public int Advbase { get; set; }
    public int Advskew { get; set; }
    /// <summary>The addresses ifconfig shows with this vhid (the VIPs).</summary>
    public List<string> Addresses { get; } = new List<string>();
    /// <summary>FreeBSD 14+: the unicast peer (224.0.0.18 when multicast); null on older versions.</summary>
    public string? Peer { get; set; }
}

/// <summary>
/// Reads the CARP lines of <c>ifconfig</c> (sbin/ifconfig/ifcarp.c): per vhid <c>\tcarp: STATE vhid N advbase N advskew N</c>,
/// on FreeBSD 14+ followed by <c>\t      peer ADDR peer6 ADDR</c>; the addresses carry <c> vhid N</c> at the end of their
/// inet/inet6 line. Interfaces are the unindented <c>NAME: flags=…</c> lines. Several vhids per interface are kept apart.
/// </summary>
public static class CarpParser
{
    private static readonly Regex InterfaceLine = new Regex(@"\A([A-Za-z0-9_.:-]+): flags=", RegexOptions.CultureInvariant);
    private static readonly Regex CarpLine = new Regex(@"\A\s*carp:\s+(INIT|BACKUP|MASTER|\S+)\s+vhid\s+(\d+)\s+advbase\s+(\d+)\s+advskew\s+(\d+)", RegexOptions.CultureInvariant);
    private static readonly Regex AddressLine = new Regex(@"\A\s*inet6?\s+(\S+)\s.*\bvhid\s+(\d+)\s*\z", RegexOptions.CultureInvariant);
    private static readonly Regex PeerLine = new Regex(@"\A\s*peer\s+(\S+)", RegexOptions.CultureInvariant);

    public static IReadOnlyList<CarpStatus> Parse(string text)
    {
        var result = new List<CarpStatus>();
        var addresses = new List<(string Iface, int Vhid, string Address)>();
        var iface = "";
        CarpStatus? last = null;
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var m = InterfaceLine.Match(raw);
            if (m.Success) { iface = m.Groups[1].Value; last = null; continue; }
            if ((m = CarpLine.Match(raw)).Success)
            {
                last = new CarpStatus
                {
                    Interface = iface,
                    State = m.Groups[1].Value switch { "INIT" => CarpState.Init, "BACKUP" => CarpState.Backup, "MASTER" => CarpState.Master, _ => CarpState.Unknown },
                    Vhid = Int(m.Groups[2].Value),
                    Advbase = Int(m.Groups[3].Value),
                    Advskew = Int(m.Groups[4].Value),
                };
                result.Add(last);
                continue;
            }
            if ((m = PeerLine.Match(raw)).Success && last != null) { last.Peer = m.Groups[1].Value; continue; }
            if ((m = AddressLine.Match(raw)).Success) addresses.Add((iface, Int(m.Groups[2].Value), m.Groups[1].Value));
        }
        foreach (var (i, vhid, address) in addresses)
            result.FirstOrDefault(c => c.Interface == i && c.Vhid == vhid)?.Addresses.Add(address);
        return result;
    }

    private static int Int(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
}
