using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.FileServices;

/// <summary>What Get-HaStatus adds on a cluster with file services (in <c>Details.FileServices</c>): per node CTDB's
/// state, smbd and ganesha, the addresses it holds; per address where it is; per share and export where it is served.</summary>
public sealed class FileServicesStatusDetails
{
    public List<FileServiceNodeStatus> Nodes { get; } = new List<FileServiceNodeStatus>();
    public List<FileServiceAddressStatus> Addresses { get; } = new List<FileServiceAddressStatus>();
    public List<FileServiceShareStatus> Shares { get; } = new List<FileServiceShareStatus>();
    /// <summary>CTDB's recovery mode (NORMAL, RECOVERY: databases frozen, SMB waits) as the first answering node sees it;
    /// null without SMB or when no CTDB answered.</summary>
    public string? CtdbRecoveryMode { get; set; }
    /// <summary>The node CTDB elected leader (recovery master); null when unknown.</summary>
    public string? CtdbLeader { get; set; }
}

public sealed class FileServiceNodeStatus
{
    public string Node { get; set; } = "";
    public bool Reachable { get; set; }
    /// <summary>This node's CTDB state as it sees itself: OK, DISABLED, STOPPED, UNHEALTHY, BANNED, … ('|'-joined flags,
    /// as ctdb status prints them), "not running" when ctdbd does not answer; null without SMB.</summary>
    public string? Ctdb { get; set; }
    public int? CtdbPnn { get; set; }
    /// <summary>null when the protocol is not served.</summary>
    public bool? Smbd { get; set; }
    public bool? Ganesha { get; set; }
    /// <summary>The floating addresses on this node's interfaces (what answers ARP here), whatever Pacemaker believes.</summary>
    public List<string> Addresses { get; } = new List<string>();
    /// <summary>Why the node could not be asked, when it could not.</summary>
    public string? Error { get; set; }

    public bool CtdbOk => Ctdb == null || Ctdb == "OK";
}

public sealed class FileServiceAddressStatus
{
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    public string? Home { get; set; }
    /// <summary>Where Pacemaker runs it; null when it is stopped.</summary>
    public string? Node { get; set; }
    /// <summary>The nodes that have it on an interface: one when all is well.</summary>
    public List<string> HeldBy { get; } = new List<string>();
}

public sealed class FileServiceShareStatus
{
    /// <summary>SMB or NFS.</summary>
    public string Protocol { get; set; } = "";
    /// <summary>The share name (SMB) or the pseudo path (NFS).</summary>
    public string Name { get; set; } = "";
    public string Path { get; set; } = "";
    /// <summary>The nodes that serve it now: the daemon runs there (and, for SMB, CTDB is OK).</summary>
    public List<string> ServedOn { get; } = new List<string>();
    /// <summary>The floating addresses clients reach it through (those held by a node that serves it).</summary>
    public List<string> Addresses { get; } = new List<string>();
}

/// <summary>The codes of the file-service warnings added to a status.</summary>
public static class FileServicesNoticeCodes
{
    public const string CtdbNotOk = "CtdbNotOk";
    public const string DaemonDown = "FileServiceDaemonDown";
    public const string AddressNotHeld = "AddressNotHeld";
    public const string AddressHeldTwice = "AddressHeldTwice";
    public const string AddressElsewhere = "AddressElsewhere";
    public const string ShareNotServed = "ShareNotServed";
}

/// <summary>Reads the file-service status: one script on every serving node at once (a node that does not answer is a
/// result, not an error), put together with Pacemaker's view.</summary>
public static class FileServicesStatus
{
    public static async Task<FileServicesStatusDetails> ReadAsync(ClusterContext ctx, FileServicesSpec fs, ClusterStatus pacemaker, CancellationToken ct)
    {
        var serving = FileServicesModel.ServingNodes(ctx.Spec, fs).Select(n => ctx.Node(n.Name)).ToList();
        var answers = await Fanout.Fanout.RunAsync(serving, (n, c) =>
            ctx.Runner.RunAsync(n, new CommandRequest(FileServicesCommands.Status(fs.HasSmb, fs.HasNfs), ctx.StatusTimeout + TimeSpan.FromSeconds(6)), c),
            (n, e) => new CommandResult { Node = n.Name, ExitCode = -1, Error = e.Message },
            new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit, PerNodeTimeout = ctx.StatusTimeout + TimeSpan.FromSeconds(8) }, null, ct).ConfigureAwait(false);
        return Build(ctx.Spec, fs, pacemaker, serving.Select(n => n.Name).Zip(answers, (n, r) => (n, r)).ToList());
    }

    /// <summary>The details from each serving node's answer to <see cref="FileServicesCommands.Status"/>; warnings go into
    /// <paramref name="pacemaker"/> (its Warnings and Notices).</summary>
    public static FileServicesStatusDetails Build(Spec.ClusterSpec spec, FileServicesSpec fs, ClusterStatus pacemaker, IReadOnlyList<(string Node, CommandResult Answer)> answers)
    {
        var d = new FileServicesStatusDetails();
        var vips = FileServicesModel.Vips(spec, fs);
        var vipAddresses = new HashSet<string>(vips.Select(v => v.Address), StringComparer.Ordinal);
        var byAddress = spec.Nodes.Where(n => FileServicesRules.IsIp(n.Address)).ToDictionary(n => n.Address, n => n.Name, StringComparer.Ordinal);
        foreach (var (node, r) in answers)
        {
            var n = new FileServiceNodeStatus { Node = node };
            d.Nodes.Add(n);
            if (!r.Succeeded || FileServicesCommands.Word(r.StdOut) != "FSSTATUS")
            {
                n.Error = r.Error ?? $"status script failed (exit {r.ExitCode}): {MessageText.Tail(r.StdErr)}";
                continue;
            }
            n.Reachable = true;
            var values = FileServicesCommands.Values(r.StdOut);
            string? One(string key) => values.Where(kv => kv.Key == key).Select(kv => kv.Value).FirstOrDefault();
            string Many(string key) => string.Join("\n", values.Where(kv => kv.Key == key).Select(kv => kv.Value));
            if (fs.HasSmb)
            {
                n.Smbd = One("smbd") == "running";
                if (One("ctdb.missing") == "yes") n.Ctdb = "not installed";
                else if (One("ctdbx.rc") != "0") n.Ctdb = "not running";
                else
                {
                    try
                    {
                        var self = CtdbStatusParser.ParseMachine(Many("ctdbx")).Self;
                        n.Ctdb = self?.State ?? "unknown";
                        n.CtdbPnn = self?.Pnn;
                    }
                    catch (FormatException e) { n.Ctdb = "unknown"; n.Error = e.Message; }
                    if (d.CtdbRecoveryMode == null && One("ctdb.rc") == "0")
                    {
                        try
                        {
                            var text = CtdbStatusParser.ParseText(Many("ctdb"));
                            d.CtdbRecoveryMode = text.RecoveryMode;
                            var leader = text.Nodes.FirstOrDefault(x => x.Pnn == text.Leader);
                            d.CtdbLeader = leader != null && byAddress.TryGetValue(leader.Address, out var ln) ? ln : leader?.Address;
                        }
                        catch (FormatException) { }
                    }
                }
            }
            if (fs.HasNfs) n.Ganesha = One("ganesha") == "running";
            foreach (var a in values.Where(kv => kv.Key == "addr").Select(kv => kv.Value.Split('/')[0]).Where(vipAddresses.Contains).Distinct())
                n.Addresses.Add(a);
        }

        foreach (var v in vips)
        {
            var a = new FileServiceAddressStatus { Name = v.Name, Address = v.Address, Home = v.Home };
            a.Node = pacemaker.Resources.FirstOrDefault(r => r.Name == v.Name && r.Node != null)?.Node;
            a.HeldBy.AddRange(d.Nodes.Where(n => n.Addresses.Contains(v.Address)).Select(n => n.Node));
            d.Addresses.Add(a);
        }

        bool ServesSmb(FileServiceNodeStatus n) => n.Reachable && n.Smbd == true && n.CtdbOk;
        bool ServesNfs(FileServiceNodeStatus n) => n.Reachable && n.Ganesha == true;
        void Share(string protocol, string name, string path, Func<FileServiceNodeStatus, bool> serves)
        {
            var s = new FileServiceShareStatus { Protocol = protocol, Name = name, Path = path };
            var on = d.Nodes.Where(serves).ToList();
            s.ServedOn.AddRange(on.Select(n => n.Node));
            s.Addresses.AddRange(on.SelectMany(n => n.Addresses).Distinct());
            d.Shares.Add(s);
        }
        foreach (var s in fs.Smb.Shares) Share("SMB", s.Name, s.Path, ServesSmb);
        foreach (var e in fs.Nfs.Exports) Share("NFS", e.PseudoPath, e.Path, ServesNfs);

        Warn(d, pacemaker);
        return d;
    }

    private static void Warn(FileServicesStatusDetails d, ClusterStatus s)
    {
        foreach (var n in d.Nodes.Where(n => n.Reachable))
        {
            if (!n.CtdbOk) s.Warn(FileServicesNoticeCodes.CtdbNotOk, $"CTDB on {n.Node} is {n.Ctdb}: it serves no SMB until it is OK", n.Node);
            if (n.Smbd == false) s.Warn(FileServicesNoticeCodes.DaemonDown, $"smbd does not run on {n.Node}", n.Node);
            if (n.Ganesha == false) s.Warn(FileServicesNoticeCodes.DaemonDown, $"ganesha.nfsd does not run on {n.Node}", n.Node);
        }
        var everyoneAnswered = d.Nodes.All(n => n.Reachable);
        foreach (var a in d.Addresses)
        {
            if (a.HeldBy.Count > 1)
                s.Warn(FileServicesNoticeCodes.AddressHeldTwice, $"{a.Name} ({a.Address}) is on the interfaces of {string.Join(" and ", a.HeldBy)}: clients may reach either", a.HeldBy[0]);
            else if (a.HeldBy.Count == 0 && everyoneAnswered)
                s.Warn(FileServicesNoticeCodes.AddressNotHeld, $"{a.Name} ({a.Address}) is on no serving node: clients cannot reach it" + (a.Node != null ? $" (Pacemaker runs it on {a.Node})" : ""), a.Node);
            else if (a.HeldBy.Count == 1 && a.Node != null && a.HeldBy[0] != a.Node)
                s.Warn(FileServicesNoticeCodes.AddressElsewhere, $"{a.Name} ({a.Address}) is on {a.HeldBy[0]}, but Pacemaker runs it on {a.Node}", a.HeldBy[0]);
        }
        foreach (var sh in d.Shares.Where(x => x.ServedOn.Count == 0 && d.Nodes.Any(n => n.Reachable)))
            s.Warn(FileServicesNoticeCodes.ShareNotServed, $"{sh.Protocol} {sh.Name} is served by no node", null);
    }
}
