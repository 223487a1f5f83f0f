using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.FileServices;

/// <summary>
/// What file services add to the Pacemaker CIB generated from the cluster file, as the same spec objects the file's own
/// resources are (CibGenerator turns both into XML): a clone per daemon (the mount, CTDB, smbd, ganesha), one IPaddr2
/// per floating address, and the constraints that make an address run only where every daemon it needs runs.
/// Clones have interleave=true and no clone-max, so a node added later gets its instances without a CIB change.
/// </summary>
public static class FileServicesCib
{
    public const string Ctdb = "ctdb";
    public const string Smbd = "smbd";
    public const string Ganesha = "ganesha";
    public const string SharedFs = "sharedfs";
    /// <summary>ocf:heartbeat:Delay after ganesha, for its grace period: an address reaches a node only once its ganesha
    /// has left grace. Measured in the lab: an address that moved onto a ganesha just started (its node had come back)
    /// had every new NFS open refused (NFS4ERR_GRACE) for Grace_Period seconds; right after a bootstrap, every address
    /// did. A node whose ganesha has run all along has its delay done long ago, so a failover does not wait for it.</summary>
    public const string GaneshaGrace = "ganesha-grace";

    /// <summary>resource-stickiness of an address under failback: stay. It outweighs everything that pulls an address
    /// back (its home's 100 and -100 per other address on the node, at most 32 nodes), and stays finite so that a move
    /// (crm_resource --move, an INFINITY preference) still wins.</summary>
    public const int StayStickiness = 10000;

    /// <summary>resource-stickiness of an address under return-home: below its home's 100, so it goes back, and above 0,
    /// so that an address whose node did not fail is not shuffled while another one fails over.</summary>
    public const int SettleStickiness = 50;

    /// <summary>How much an address prefers its home node (return-home, and the first placement under stay).</summary>
    public const int HomeScore = 100;

    /// <summary>How much two addresses avoid one node: each pair is spread unless the nodes run out.</summary>
    public const int SpreadScore = -100;

    /// <summary>The logs and files of the daemons as the agents start them (lab notes, "File services").</summary>
    public const string CtdbLog = "/var/log/ctdb/log.ctdb";
    public const string SmbdBinary = "/usr/sbin/smbd";
    public const string GaneshaBinary = "/usr/bin/ganesha.nfsd";
    public const string GaneshaLog = "/var/log/ganesha/ganesha.log";
    public const string GaneshaPid = "/run/ganesha.pid";

    public static string CloneOf(string primitive) => primitive + "-clone";

    /// <summary>The resources and constraints to add for <paramref name="spec"/>'s file services; empty without them.</summary>
    public static PacemakerSection Expand(ClusterSpec spec)
    {
        var add = new PacemakerSection();
        var fs = FileServicesModel.Of(spec);
        if (fs == null) return add;
        var daemons = Daemons(fs);
        var serving = new HashSet<string>(FileServicesModel.ServingNodes(spec, fs).Select(n => n.Name));

        foreach (var d in daemons)
        {
            add.Resources.Add(Daemon(d, fs));
            var clone = new CloneSpec { Name = CloneOf(d), Resource = d };
            clone.Meta["interleave"] = "true";
            add.Clones.Add(clone);
            // A node that does not serve runs none of it (and so holds no address, which needs the daemons).
            foreach (var n in spec.Nodes.Where(n => !serving.Contains(n.Name)))
                add.Constraints.Location.Add(Location(CloneOf(d), n.Name, "INFINITY", avoids: true));
        }

        // Start order, and each on the same node as what it needs: the mount before CTDB and ganesha, CTDB before smbd.
        void After(string first, string then)
        {
            add.Constraints.Colocation.Add(Colocation(then, first, "INFINITY"));
            add.Constraints.Order.Add(Order(first, then));
        }
        if (fs.Shared.Mount != null)
        {
            if (fs.HasSmb) After(CloneOf(SharedFs), CloneOf(Ctdb));
            if (fs.HasNfs) After(CloneOf(SharedFs), CloneOf(Ganesha));
        }
        if (fs.HasSmb) After(CloneOf(Ctdb), CloneOf(Smbd));
        if (daemons.Contains(GaneshaGrace)) After(CloneOf(Ganesha), CloneOf(GaneshaGrace));

        var vips = FileServicesModel.Vips(spec, fs);
        var front = new List<string>();
        if (fs.HasSmb) front.Add(CloneOf(Smbd));
        if (fs.HasNfs) front.Add(CloneOf(daemons.Contains(GaneshaGrace) ? GaneshaGrace : Ganesha));
        foreach (var v in vips)
        {
            var p = new PrimitiveSpec { Name = v.Name, Agent = "ocf:heartbeat:IPaddr2" };
            p.Params["ip"] = v.Address;
            p.Params["cidr_netmask"] = v.Prefix.ToString(CultureInfo.InvariantCulture);
            if (v.Interface != null) p.Params["nic"] = v.Interface;
            p.Meta["resource-stickiness"] = (fs.Failback == "stay" ? StayStickiness : SettleStickiness).ToString(CultureInfo.InvariantCulture);
            Op(p, "monitor", "10s", "20s");
            add.Resources.Add(p);
            // An address runs only where every daemon behind it runs, and starts after them.
            foreach (var f in front) After(f, v.Name);
            if (v.Home != null) add.Constraints.Location.Add(Location(v.Name, v.Home, HomeScore.ToString(CultureInfo.InvariantCulture), avoids: false));
        }
        // Every pair of addresses avoids one node, so they spread over the serving nodes.
        for (var j = 1; j < vips.Count; j++)
            for (var i = 0; i < j; i++)
                add.Constraints.Colocation.Add(Colocation(vips[j].Name, vips[i].Name, SpreadScore.ToString(CultureInfo.InvariantCulture)));
        return add;
    }

    private static PrimitiveSpec Daemon(string name, FileServicesSpec fs)
    {
        switch (name)
        {
            case SharedFs:
            {
                var m = fs.Shared.Mount!;
                var p = new PrimitiveSpec { Name = name, Agent = "ocf:heartbeat:Filesystem" };
                p.Params["device"] = m.Device;
                p.Params["directory"] = fs.Shared.Path;
                p.Params["fstype"] = m.Fstype;
                if (m.Options != null) p.Params["options"] = m.Options;
                return Op(Op(Op(p, "monitor", "20s", "40s"), "start", "0", "60s"), "stop", "0", "60s");
            }
            case Ctdb:
            {
                // Debian's agent writes ctdb.conf from these on every start; the recovery lock is required by it.
                var p = new PrimitiveSpec { Name = name, Agent = "ocf:heartbeat:CTDB" };
                p.Params["ctdb_recovery_lock"] = FileServicesModel.RecoveryLock(fs);
                p.Params["ctdb_manages_samba"] = "no";
                p.Params["ctdb_manages_winbind"] = "no";
                p.Params["ctdb_logfile"] = CtdbLog;
                // The agent runs ctdb with -t ctdb_timeout (10 s): the monitor's timeout stays well above it, or a slow
                // answer fails the monitor and restarts CTDB (ClusterLabs/resource-agents#1660). CTDB takes ~25 s to start.
                return Op(Op(Op(p, "monitor", "10s", "30s"), "start", "0", "90s"), "stop", "0", "100s");
            }
            case Smbd:
            {
                // Debian has no systemd here and smbd's init script hard-codes one pidfile: ocf:heartbeat:anything runs
                // smbd in the foreground and watches its pid.
                var p = new PrimitiveSpec { Name = name, Agent = "ocf:heartbeat:anything" };
                p.Params["binfile"] = SmbdBinary;
                p.Params["cmdline_options"] = "--foreground --no-process-group";
                return Op(Op(Op(p, "monitor", "10s", "20s"), "start", "0", "60s"), "stop", "0", "60s");
            }
            case GaneshaGrace:
            {
                var grace = fs.Nfs.GraceSeconds;
                var p = new PrimitiveSpec { Name = name, Agent = "ocf:heartbeat:Delay" };
                p.Params["startdelay"] = grace.ToString(CultureInfo.InvariantCulture);
                p.Params["stopdelay"] = "0";
                p.Params["mondelay"] = "0";
                return Op(Op(Op(p, "monitor", "10s", "20s"), "start", "0", (grace + 30).ToString(CultureInfo.InvariantCulture) + "s"), "stop", "0", "20s");
            }
            default:
            {
                // Debian ships no ganesha agent and no init script: anything runs ganesha.nfsd in the foreground. The 10 s
                // monitor is what brings NFS back after a ganesha crash (measured +9.4 s).
                var p = new PrimitiveSpec { Name = name, Agent = "ocf:heartbeat:anything" };
                p.Params["binfile"] = GaneshaBinary;
                p.Params["cmdline_options"] = $"-F -L {GaneshaLog} -f {FileServicesConfig.GaneshaConfPath} -p {GaneshaPid} -N NIV_EVENT";
                return Op(Op(Op(p, "monitor", "10s", "20s"), "start", "0", "60s"), "stop", "0", "60s");
            }
        }
    }

    private static PrimitiveSpec Op(PrimitiveSpec p, string name, string interval, string timeout)
    {
        p.Ops.Add(new OperationSpec { Name = name, Interval = interval, Timeout = timeout });
        return p;
    }

    private static LocationSpec Location(string resource, string node, string score, bool avoids)
    {
        var l = new LocationSpec { Resource = resource, Node = node, Score = score, Avoids = avoids };
        l.Id = l.DefaultId;
        return l;
    }

    private static ColocationSpec Colocation(string resource, string with, string score)
    {
        var c = new ColocationSpec { Resource = resource, With = with, Score = score };
        c.Id = c.DefaultId;
        return c;
    }

    private static OrderSpec Order(string first, string then)
    {
        var o = new OrderSpec { First = first, Then = then };
        o.Id = o.DefaultId;
        return o;
    }

    /// <summary>Every CIB id file services add (resources, clones, constraints), for the checks against the file's own.</summary>
    internal static IEnumerable<string> Ids(ClusterSpec spec)
    {
        var add = Expand(spec);
        return add.Resources.Select(r => r.Name).Concat(add.Clones.Select(c => c.Name))
            .Concat(add.Constraints.Location.Select(c => c.Id)).Concat(add.Constraints.Colocation.Select(c => c.Id)).Concat(add.Constraints.Order.Select(c => c.Id));
    }

    /// <summary>The primitives and clones of the daemons (and the mount) this section runs.</summary>
    internal static IEnumerable<string> DaemonIds(FileServicesSpec fs) => Daemons(fs).SelectMany(x => new[] { x, CloneOf(x) });

    /// <summary>The cloned primitives, in start order: the mount, CTDB and smbd for SMB, ganesha (and its grace delay) for NFS.</summary>
    internal static IReadOnlyList<string> Daemons(FileServicesSpec fs)
    {
        var prims = new List<string>();
        if (fs.Shared.Mount != null) prims.Add(SharedFs);
        if (fs.HasSmb) { prims.Add(Ctdb); prims.Add(Smbd); }
        if (fs.HasNfs) prims.Add(Ganesha);
        if (fs.HasNfs && fs.Nfs.Graceless != true && fs.Nfs.GraceSeconds > 0) prims.Add(GaneshaGrace);
        return prims;
    }
}
