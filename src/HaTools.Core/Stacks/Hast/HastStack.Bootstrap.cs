using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Bootstrap;
using HaTools.Core.Bootstrap.Steps;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hast;

/// <summary>The phases of a stack: hast bootstrap, in order.</summary>
public static class HastPhases
{
    public const string Validate = "validate";
    public const string Preflight = "preflight";
    public const string Generate = "generate";
    public const string Push = "push";
    public const string Hastd = "hastd";
    public const string Metadata = "metadata";
    public const string Roles = "roles";
    public const string Sync = "sync";
    public const string Pool = "pool";
    public const string Carp = "carp";
    public const string Failover = "failover";
    public const string Health = "health";
}

/// <summary>
/// The bootstrap of a HAST pair from its cluster file: validate → lock → preflight → generate → push (hast.conf, the
/// failover script and devd rule on both nodes at once; rc.conf.d per node) → hastd (started, or reloaded when hast.conf
/// changed) → metadata (hastctl create, with -Mkfs only, where a provider has none) → roles (a fresh pair gets its
/// primary on the preferred CARP master; an existing primary stays) → sync (the secondary connected) → pool (imported,
/// or created with -Mkfs) → carp (the address) → failover (devd re-reads its rules) → health. Every change asks first,
/// and a re-run on a pair in that state changes nothing.
/// </summary>
public sealed partial class HastStack
{
    public IReadOnlyList<IBootstrapPhase> BootstrapPhases(ClusterContext context, BootstrapOptions options)
    {
        var st = new BootState();
        return new IBootstrapPhase[]
        {
            new Phase(HastPhases.Validate, PlanValidate, RunValidate), new TakeClusterLock(),
            new Phase(HastPhases.Preflight, (c, o) => Each(c, "probe over ssh: FreeBSD, the hostname hastd matches, hastctl, zpool, ifconfig, whether hastd runs"), r => RunPreflight(r, st)),
            new Phase(HastPhases.Generate, PlanGenerate, r => RunGenerate(r, st)),
            new Phase(HastPhases.Push, PlanPush, r => RunPush(r, st)),
            new Phase(HastPhases.Hastd, (c, o) => Each(c, "start hastd (service hastd onestart) unless it runs; reload it where hast.conf changed; wait until hastctl list shows every resource"), r => RunHastd(r, st)),
            new Phase(HastPhases.Metadata, PlanMetadata, r => RunMetadata(r, st)),
            new Phase(HastPhases.Roles, PlanRoles, r => RunRoles(r, st)),
            new Phase(HastPhases.Sync, (c, o) => One($"wait until the secondary is connected to the primary for every resource (at most {o.ResourceTimeout.TotalSeconds:0} s); report what is not yet replicated (dirty)"), r => RunSync(r, st)),
            new Phase(HastPhases.Pool, PlanPool, r => RunPool(r, st)),
            new Phase(HastPhases.Carp, PlanCarp, RunCarp),
            new Phase(HastPhases.Failover, PlanFailover, r => RunFailover(r, st)),
            new Phase(HastPhases.Health, (c, o) => One("read both nodes back: roles, pool, CARP master; the pair's warnings"), RunHealth),
        };
    }

    public async Task<IReadOnlyList<CheckResult>> TestAsync(ClusterContext context, TestOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        var facts = await ProbeAsync(context, cancellationToken).ConfigureAwait(false);
        var checks = facts.SelectMany(f => ProbeChecks(context, f)).ToList();
        if (context.Spec.Section<HastSection>().Failover.Automatic)
            checks.Add(new CheckResult { Check = "Fencing", Node = "*", Severity = Severity.Warning, Message = NoFencingWarning });
        return checks;
    }

    /// <summary>What one bootstrap learns and hands from phase to phase.</summary>
    private sealed class BootState
    {
        public IReadOnlyList<Facts> Facts = Array.Empty<Facts>();
        public List<FileSpec> Common = new List<FileSpec>();
        public Dictionary<string, List<FileSpec>> PerNode = new Dictionary<string, List<FileSpec>>();
        public IReadOnlyDictionary<string, List<string>> Changed = new Dictionary<string, List<string>>();
        /// <summary>Resources whose providers are unused on both nodes (created by this run, or resuid 0): a fresh pair.</summary>
        public HashSet<string> Fresh = new HashSet<string>(StringComparer.Ordinal);
        public Dictionary<string, int> Unused = new Dictionary<string, int>(StringComparer.Ordinal);
    }

    /// <summary>One phase as a pair of functions (plan and run side by side, as the engine wants them).</summary>
    private sealed class Phase : IBootstrapPhase
    {
        private readonly Func<ClusterContext, BootstrapOptions, IEnumerable<PlanStep>> _plan;
        private readonly Func<PhaseRun, Task<bool>> _run;

        public Phase(string name, Func<ClusterContext, BootstrapOptions, IEnumerable<PlanStep>> plan, Func<PhaseRun, Task<bool>> run)
        {
            Name = name;
            _plan = plan;
            _run = run;
        }

        public string Name { get; }
        public IEnumerable<PlanStep> Plan(ClusterContext context, BootstrapOptions options) => _plan(context, options);
        public Task<bool> RunAsync(PhaseRun run) => _run(run);
    }

    private static IEnumerable<PlanStep> One(string what) => new[] { new PlanStep { Node = "*", Description = what } };

    private static IEnumerable<PlanStep> Each(ClusterContext c, string what) => c.Spec.Nodes.Select(n => new PlanStep { Node = n.Name, Description = what });

    private static HastSection S(ClusterContext c) => c.Spec.Section<HastSection>();

    private static string Resources(ClusterContext c) => string.Join(", ", S(c).Hast.Resources.Select(r => r.Name));

    // --- validate ---

    private static IEnumerable<PlanStep> PlanValidate(ClusterContext c, BootstrapOptions o)
    {
        var s = S(c);
        return One($"validate {c.Spec.SourceFile} (2 nodes, resources {Resources(c)}" + (s.Zfs.Pool.Length > 0 ? $", pool {s.Zfs.Pool}" : "")
            + (s.Carp.Interface.Length > 0 ? $", CARP vhid {s.Carp.Vhid} on {s.Carp.Interface}" : "") + ")");
    }

    private static Task<bool> RunValidate(PhaseRun run)
    {
        run.Progress(run.Spec.SourceFile);
        run.Report("*", PhaseStatus.Ok, $"{run.Spec.Nodes.Count} nodes, resources {Resources(run.Context)}", TimeSpan.Zero);
        if (S(run.Context).Failover.Automatic)
        {
            run.Host.Warning(NoFencingWarning);
            run.Report("*", PhaseStatus.Warning, NoFencingWarning, TimeSpan.Zero);
        }
        return Task.FromResult(true);
    }

    // --- preflight ---

    /// <summary>What one node said of itself (key=value lines of the probe script).</summary>
    private sealed class Facts
    {
        public string Node = "";
        public string? Error;
        public Dictionary<string, string> Values = new Dictionary<string, string>(StringComparer.Ordinal);
        public string Get(string key) => Values.TryGetValue(key, out var v) ? v : "";
    }

    internal const string ProbeScript =
        "echo \"os=$(uname -s)\"; echo \"hostname=$(hostname)\"; " +
        "for t in hastctl zpool ifconfig kldload; do if command -v \"$t\" >/dev/null 2>&1; then echo \"$t=yes\"; else echo \"$t=no\"; fi; done; " +
        "if service hastd onestatus >/dev/null 2>&1; then echo hastd=running; else echo hastd=stopped; fi";

    internal static readonly string[] ProbeArgv = { "sh", "-c", ProbeScript, "hatools-hast-probe" };

    private static Task<IReadOnlyList<Facts>> ProbeAsync(ClusterContext ctx, CancellationToken ct) =>
        Fanout.Fanout.RunAsync(ctx.Nodes, async (n, c) =>
        {
            var r = await ctx.Runner.RunAsync(n, HastCommands.Bounded(ProbeArgv, HastCommands.ReadTimeout), c).ConfigureAwait(false);
            var f = new Facts { Node = n.Name };
            if (!r.Succeeded) { f.Error = r.Error ?? (r.TimedOut ? "timed out" : $"exit {r.ExitCode}: {HastNodeReader.Tail(r.StdErr)}"); return f; }
            foreach (var line in r.StdOut.Split('\n'))
                if (line.IndexOf('=') is var i and > 0) f.Values[line.Substring(0, i)] = line.Substring(i + 1).Trim();
            return f;
        }, (n, e) => new Facts { Node = n.Name, Error = e.Message }, new Fanout.FanoutOptions { ThrottleLimit = ctx.ThrottleLimit }, null, ct);

    private static IEnumerable<CheckResult> ProbeChecks(ClusterContext ctx, Facts f)
    {
        CheckResult Err(string check, string m) => new CheckResult { Check = check, Node = f.Node, Severity = Severity.Error, Message = m };
        if (f.Error != null) { yield return Err("Reachable", f.Error); yield break; }
        var os = f.Get("os");
        if (os != "FreeBSD") yield return Err("OperatingSystem", $"stack: hast needs FreeBSD (hastd, CARP, ZFS); '{f.Node}' runs '{Names.Printable(os)}'");
        // hastd's isitme(): the hostname itself, or its first label, names the node's "on" block (research §1).
        var host = f.Get("hostname");
        if (host != f.Node && host.Split('.')[0] != f.Node)
            yield return Err("NodeName", $"'{f.Node}' calls itself '{Names.Printable(host)}': hastd would find no 'on {f.Node}' block for it (name the node by its hostname)");
        var s = S(ctx);
        foreach (var (tool, needed) in new[] { ("hastctl", true), ("zpool", s.Zfs.Pool.Length > 0), ("ifconfig", s.Carp.Interface.Length > 0), ("kldload", s.Carp.Interface.Length > 0) })
            if (needed && f.Get(tool) != "yes") yield return Err("Tools", $"'{f.Node}' has no {tool}");
        yield return new CheckResult { Check = "Hastd", Node = f.Node, Severity = Severity.Info, Message = $"hastd {f.Get("hastd")}" };
    }

    private static async Task<bool> RunPreflight(PhaseRun run, BootState st)
    {
        run.Progress("probing nodes");
        var sw = Stopwatch.StartNew();
        st.Facts = await ProbeAsync(run.Context, run.Token).ConfigureAwait(false);
        var ok = true;
        foreach (var f in st.Facts)
        {
            var errors = ProbeChecks(run.Context, f).Where(c => c.Severity == Severity.Error).ToList();
            ok &= errors.Count == 0;
            run.Report(f.Node, errors.Count == 0 ? PhaseStatus.Ok : PhaseStatus.Failed,
                errors.Count == 0 ? $"FreeBSD, hostname {f.Get("hostname")}, hastd {f.Get("hastd")}" : string.Join("; ", errors.Select(e => $"{e.Check}: {e.Message}")), sw.Elapsed);
        }
        if (!ok) run.Report("*", PhaseStatus.Failed, "nothing was changed on any node", TimeSpan.Zero);
        return ok;
    }

    // --- generate and push ---

    private static IEnumerable<PlanStep> PlanGenerate(ClusterContext c, BootstrapOptions o)
    {
        var s = S(c);
        yield return new PlanStep { Node = "*", Description = $"{HastConfGenerator.HastConfPath} (one 'on' block per node in each of {Resources(c)})" + (s.Failover.Automatic ? $"; {HastFailover.ScriptPath} and {HastFailover.DevdPath}" : "") };
        foreach (var n in c.Spec.Nodes)
            yield return new PlanStep { Node = n.Name, Description = "/etc/rc.conf.d/hastd" + (s.Carp.Interface.Length > 0 ? " and kld (carp); netif with the CARP alias (the password read from " + (s.Carp.PasswordFile != null ? "carp.password_file" : "carp.password_env") + ")" : "") };
    }

    private static Task<bool> RunGenerate(PhaseRun run, BootState st)
    {
        run.Progress("hast.conf, rc.conf.d, failover");
        var spec = run.Spec;
        var s = S(run.Context);
        var utf8 = new UTF8Encoding(false);
        st.Common.Add(new FileSpec(HastConfGenerator.HastConfPath, utf8.GetBytes(HastConfGenerator.HastConf(spec)), "0644"));
        if (s.Failover.Automatic)
        {
            st.Common.Add(new FileSpec(HastFailover.ScriptPath, utf8.GetBytes(HastFailover.Script(spec)), "0755"));
            st.Common.Add(new FileSpec(HastFailover.DevdPath, utf8.GetBytes(HastFailover.DevdRule(spec)), "0644"));
        }
        var password = s.Carp.Interface.Length > 0 ? CarpPassword.Read(spec) : null;
        foreach (var n in spec.Nodes)
            st.PerNode[n.Name] = HastConfGenerator.RcConf(spec, n.Name, password)
                .Select(f => new FileSpec(f.Path, utf8.GetBytes(f.Content), f.Mode) { Secret = f.Secret }).ToList();
        run.Report("*", PhaseStatus.Ok, $"{st.Common.Count} files for both nodes, {st.PerNode.Values.First().Count} per node", TimeSpan.Zero);
        return Task.FromResult(true);
    }

    private static IEnumerable<PlanStep> PlanPush(ClusterContext c, BootstrapOptions o) =>
        Each(c, "stage hast.conf" + (S(c).Failover.Automatic ? ", the failover script (0755) and the devd rule" : "") + " on both nodes, then commit on both (restored on both if one commit fails)")
            .Concat(Each(c, "push this node's rc.conf.d files (netif 0600, its content on stdin only)"));

    private static async Task<bool> RunPush(PhaseRun run, BootState st)
    {
        var pushed = await PushFiles.RunAsync(run, st.Common, "hast.conf and the failover files already as declared").ConfigureAwait(false);
        if (!pushed.Ok) return false;
        st.Changed = pushed.Changed;
        var pusher = new FilePusher(run.Context.Runner);
        var ok = true;
        foreach (var n in run.Context.Nodes)
            foreach (var f in st.PerNode[n.Name])
            {
                var sw = Stopwatch.StartNew();
                var check = await pusher.PushAsync(n, f, whatIf: true, run.Token).ConfigureAwait(false);
                if (check.Status == FileChange.Unchanged) { run.Report(n.Name, PhaseStatus.Unchanged, $"{f.Destination} already as declared", sw.Elapsed); continue; }
                if (check.Status == FileChange.Failed) { run.Report(n.Name, PhaseStatus.Failed, $"{f.Destination}: {check.Error}", sw.Elapsed); ok = false; continue; }
                if (!run.Host.ShouldProcess(n.Name, $"replace {f.Destination}")) return false;
                var r = await pusher.PushAsync(n, f, whatIf: false, run.Token).ConfigureAwait(false);
                ok &= r.Status != FileChange.Failed;
                run.Report(n.Name, r.Status == FileChange.Failed ? PhaseStatus.Failed : PhaseStatus.Changed, r.Status == FileChange.Failed ? $"{f.Destination}: {r.Error}" : $"replaced {f.Destination}", sw.Elapsed);
            }
        return ok;
    }

    // --- hastd ---

    private static async Task<bool> RunHastd(PhaseRun run, BootState st)
    {
        var ctx = run.Context;
        var ok = true;
        foreach (var n in ctx.Nodes)
        {
            var sw = Stopwatch.StartNew();
            var running = st.Facts.First(f => f.Node == n.Name).Get("hastd") == "running";
            var confChanged = st.Changed.TryGetValue(n.Name, out var d) && d.Contains(HastConfGenerator.HastConfPath);
            string? action = !running ? "onestart" : confChanged ? "onereload" : null;
            if (action != null)
            {
                if (!run.Host.ShouldProcess(n.Name, action == "onestart" ? "start hastd (service hastd onestart)" : "reload hastd: hast.conf changed (service hastd onereload)")) return false;
                await ChangeAsync(ctx, n, HastCommands.Hastd(action), run.Token).ConfigureAwait(false);
            }
            // Right after a (re)start hastd may answer "Error 57" for a moment; a reload may not yet show a new resource.
            var names = S(ctx).Hast.Resources.Select(r => r.Name).ToList();
            await WaitUntil.RunAsync(c => HastNodeReader.ReadAsync(ctx, n, null, null, null, c), s =>
                s.Unreadable ?? (names.FirstOrDefault(x => s.Resource(x) == null) is { } missing ? $"hastd on '{n.Name}' does not list {missing} yet (a resource added to hast.conf may need a restart of hastd)" : null),
                HastCommands.ChangeTimeout, RolePoll, $"hastd on {n.Name}", run.Host, run.Token).ConfigureAwait(false);
            run.Report(n.Name, action == null ? PhaseStatus.Unchanged : PhaseStatus.Changed,
                action == null ? "hastd runs with this hast.conf" : action == "onestart" ? "hastd started" : "hastd reloaded hast.conf", sw.Elapsed);
        }
        return ok;
    }

    // --- metadata ---

    private static IEnumerable<PlanStep> PlanMetadata(ClusterContext c, BootstrapOptions o) =>
        Each(c, o.Mkfs
            ? $"for each of {Resources(c)} whose provider holds no HAST metadata (hastctl dump): hastctl create (asks first); a provider that holds some is left alone"
            : $"check that each of {Resources(c)} has HAST metadata (hastctl dump); none: stop and ask for -Mkfs");

    private static async Task<bool> RunMetadata(PhaseRun run, BootState st)
    {
        var ctx = run.Context;
        var ok = true;
        var names = S(ctx).Hast.Resources.Select(r => r.Name).ToList();
        var unusedOn = names.ToDictionary(r => r, r => 0);
        foreach (var n in ctx.Nodes)
        {
            var sw = Stopwatch.StartNew();
            var reading = await HastNodeReader.ReadAsync(ctx, n, null, null, null, run.Token).ConfigureAwait(false);
            var created = new List<string>();
            var missing = new List<string>();
            foreach (var res in names)
            {
                var role = reading.Resource(res)?.Role;
                if (role is HastRole.Primary or HastRole.Secondary) continue; // a running worker read its metadata
                var dump = await ctx.Runner.RunAsync(n, HastCommands.Bounded(HastCommands.Dump(res), HastCommands.ReadTimeout), run.Token).ConfigureAwait(false);
                if (dump.Failure != FailureKind.None) throw new NodeCommandException(n.Name, ShellQuote.Join(HastCommands.Dump(res)), dump, "read HAST metadata");
                if (dump.Succeeded && dump.StdOut.Contains("resource: " + res))
                {
                    // resuid 0: metadata written by hastctl create and never used by a primary (hastd assigns it then).
                    if (dump.StdOut.Split('\n').Any(l => l.Trim() == "resuid: 0")) unusedOn[res]++;
                    continue;
                }
                if (!run.Options.Mkfs) { missing.Add(res); continue; }
                if (!run.Host.ShouldProcess(n.Name, $"hastctl create {res}: write HAST metadata to {S(ctx).Hast.Resources.First(r => r.Name == res).Local[n.Name]}")) return false;
                await ChangeAsync(ctx, n, HastCommands.Create(res), run.Token).ConfigureAwait(false);
                created.Add(res);
                unusedOn[res]++;
            }
            if (missing.Count > 0)
            {
                ok = false;
                run.Report(n.Name, PhaseStatus.Failed, $"no HAST metadata for {string.Join(", ", missing)}: run with -Mkfs to create it (hastctl create)", sw.Elapsed);
            }
            else run.Report(n.Name, created.Count > 0 ? PhaseStatus.Changed : PhaseStatus.Unchanged,
                created.Count > 0 ? $"hastctl create {string.Join(", ", created)}" : "every resource has HAST metadata", sw.Elapsed);
        }
        foreach (var kv in unusedOn.Where(kv => kv.Value == ctx.Nodes.Count)) st.Fresh.Add(kv.Key);
        return ok;
    }

    // --- roles ---

    /// <summary>The node a fresh pair makes primary: the preferred CARP master (lowest advskew), so the address and the
    /// pool start on the same node; the first node without a carp: section.</summary>
    internal static string PreferredPrimary(ClusterContext c)
    {
        var s = S(c);
        if (s.Carp.Interface.Length == 0) return c.Spec.Nodes[0].Name;
        return c.Spec.Nodes.Select((n, i) => (n.Name, Skew: s.Carp.Advskew.TryGetValue(n.Name, out var k) ? k : CarpSpec.DefaultAdvskew(i)))
            .OrderBy(x => x.Skew).First().Name;
    }

    private static IEnumerable<PlanStep> PlanRoles(ClusterContext c, BootstrapOptions o) =>
        One($"a resource primary on one node stays there and the other node becomes its secondary; a fresh pair (never used) gets its primary on '{PreferredPrimary(c)}' " +
            "(the promotion rule first), the other node secondary; waits for /dev/hast/NAME; a used pair with no primary stops and asks for Set-HastRole");

    private static async Task<bool> RunRoles(PhaseRun run, BootState st)
    {
        var ctx = run.Context;
        var bound = DeviceTimeout(ctx, new RoleChangeOptions());
        var nodes = await ReadNodesAsync(ctx, null, run.Token).ConfigureAwait(false);
        var ok = true;
        foreach (var res in S(ctx).Hast.Resources.Select(r => r.Name))
        {
            var sw = Stopwatch.StartNew();
            foreach (var n in nodes) Known(n, res);
            var primaries = nodes.Where(n => n.IsPrimary(res)).ToList();
            if (primaries.Count > 1) { run.Report("*", PhaseStatus.Failed, $"{res} is primary on both nodes (split-brain): keep one node's data and re-create the other's (Initialize-HastResource)", sw.Elapsed); ok = false; continue; }
            var changed = new List<string>();
            var primary = primaries.FirstOrDefault()?.Node;
            if (primary == null)
            {
                if (!st.Fresh.Contains(res))
                {
                    run.Report("*", PhaseStatus.Failed, $"{res} is primary on no node and both nodes' copies have been used: choose the good copy (Set-HastRole {res} Primary -Node N); not guessed here", sw.Elapsed);
                    ok = false;
                    continue;
                }
                primary = PreferredPrimary(ctx);
                var me = nodes.First(n => n.Node == primary);
                var d = HastPromotionRule.MayBecomePrimary(res, me.ToReading(), nodes.First(n => n.Node != primary).ToReading());
                if (!d.Allowed) throw new ClusterStateException($"not making {res} primary on '{primary}': {d.Reason}", primary);
                if (!run.Host.ShouldProcess(primary, $"make {res} primary (hastctl role primary {res}): a fresh pair, first sync from '{primary}'")) return false;
                await ChangeAsync(ctx, ctx.Node(primary), HastCommands.Role(HastRole.Primary, res), run.Token).ConfigureAwait(false);
                await WaitRoleAsync(ctx, ctx.Node(primary), res, HastRole.Primary, bound, run.Token).ConfigureAwait(false);
                changed.Add($"primary on '{primary}'");
            }
            var other = nodes.First(n => n.Node != primary);
            if (other.Resource(res)!.Role != HastRole.Secondary)
            {
                if (!run.Host.ShouldProcess(other.Node, $"make {res} secondary (hastctl role secondary {res})")) return false;
                await ChangeAsync(ctx, ctx.Node(other.Node), HastCommands.Role(HastRole.Secondary, res), run.Token).ConfigureAwait(false);
                await WaitRoleAsync(ctx, ctx.Node(other.Node), res, HastRole.Secondary, bound, run.Token).ConfigureAwait(false);
                changed.Add($"secondary on '{other.Node}'");
            }
            run.Report("*", changed.Count > 0 ? PhaseStatus.Changed : PhaseStatus.Unchanged,
                changed.Count > 0 ? $"{res}: {string.Join(", ", changed)}" : $"{res}: primary on '{primary}', secondary on '{other.Node}'", sw.Elapsed);
        }
        return ok;
    }

    // --- sync ---

    private static async Task<bool> RunSync(PhaseRun run, BootState st)
    {
        var ctx = run.Context;
        var sw = Stopwatch.StartNew();
        var names = S(ctx).Hast.Resources.Select(r => r.Name).ToList();
        var nodes = await WaitUntil.RunAsync(c => ReadNodesAsync(ctx, null, c), ns =>
        {
            var waiting = names.Where(r => ns.FirstOrDefault(n => n.IsPrimary(r))?.Resource(r) is not { Status: HastSyncStatus.Complete }).ToList();
            return waiting.Count == 0 ? null : $"{string.Join(", ", waiting)}: the secondary is not connected to the primary yet";
        }, run.Options.ResourceTimeout, RolePoll, "HAST sync", run.Host, run.Token).ConfigureAwait(false);
        var dirty = names.Select(r => (r, nodes.First(n => n.IsPrimary(r)).Resource(r)!.Dirty ?? 0)).Where(x => x.Item2 > 0).ToList();
        foreach (var (r, bytes) in dirty)
            run.Report("*", PhaseStatus.Warning, $"{r}: {bytes} bytes not yet replicated: a failover before this reaches 0 loses them (Get-HastStatus shows Dirty)", sw.Elapsed);
        run.Report("*", PhaseStatus.Ok, $"every resource connected{(dirty.Count == 0 ? " and replicated (dirty 0)" : "")}", sw.Elapsed);
        return true;
    }

    // --- pool ---

    private static IEnumerable<PlanStep> PlanPool(ClusterContext c, BootstrapOptions o)
    {
        var z = S(c).Zfs;
        if (z.Pool.Length == 0) return One("no zfs: section: no pool");
        return One($"pool {z.Pool} imported on the primary (zpool import -o cachefile=none -d /dev/hast {z.Pool}) when the HAST devices hold it; "
            + (o.Mkfs ? $"otherwise created there ({ShellQuote.Join(HastCommands.ZpoolCreate(z))}, asks first)" : "otherwise stop and ask for -Mkfs"));
    }

    private static async Task<bool> RunPool(PhaseRun run, BootState st)
    {
        var ctx = run.Context;
        var z = S(ctx).Zfs;
        var sw = Stopwatch.StartNew();
        if (z.Pool.Length == 0) { run.Report("*", PhaseStatus.Skipped, "no zfs: section", TimeSpan.Zero); return true; }
        var nodes = await ReadNodesAsync(ctx, null, run.Token).ConfigureAwait(false);
        var members = z.Vdevs.SelectMany(v => v.Resources).ToList();
        var primary = nodes.FirstOrDefault(n => members.All(n.IsPrimary));
        if (primary == null) { run.Report("*", PhaseStatus.Failed, $"no node is primary for every device of pool {z.Pool} ({string.Join(", ", members)})", sw.Elapsed); return false; }
        var elsewhere = nodes.FirstOrDefault(n => n != primary && n.PoolImported == true);
        if (elsewhere != null) { run.Report(elsewhere.Node, PhaseStatus.Failed, $"pool {z.Pool} is imported on '{elsewhere.Node}', which is not primary", sw.Elapsed); return false; }
        if (primary.PoolImported == null) { run.Report(primary.Node, PhaseStatus.Failed, $"cannot tell whether pool {z.Pool} is imported on '{primary.Node}' ({string.Join("; ", primary.Problems)})", sw.Elapsed); return false; }
        if (primary.PoolImported == true) { run.Report(primary.Node, PhaseStatus.Unchanged, $"pool {z.Pool} imported on '{primary.Node}'", sw.Elapsed); return true; }
        var node = ctx.Node(primary.Node);
        var listing = await ctx.Runner.RunAsync(node, HastCommands.Bounded(HastCommands.ZpoolImportable(), HastCommands.ChangeTimeout), run.Token).ConfigureAwait(false);
        if (listing.Failure != FailureKind.None) throw new NodeCommandException(node.Name, ShellQuote.Join(HastCommands.ZpoolImportable()), listing, "list importable pools");
        if (ZpoolParser.ParseStatus(listing.StdOut).Any(p => p.Pool == z.Pool))
        {
            if (!run.Host.ShouldProcess(node.Name, $"import pool {z.Pool} (zpool import -o cachefile=none -d /dev/hast {z.Pool})")) return false;
            await ChangeAsync(ctx, node, HastCommands.ZpoolImport(z.Pool, force: false), run.Token).ConfigureAwait(false);
            run.Report(node.Name, PhaseStatus.Changed, $"pool {z.Pool} imported", sw.Elapsed);
            return true;
        }
        if (!run.Options.Mkfs) { run.Report(node.Name, PhaseStatus.Failed, $"pool {z.Pool} is not on the HAST devices: run with -Mkfs to create it", sw.Elapsed); return false; }
        var create = HastCommands.ZpoolCreate(z);
        if (!run.Host.ShouldProcess(node.Name, $"create pool {z.Pool} ({ShellQuote.Join(create)}): the devices' contents are lost")) return false;
        await ChangeAsync(ctx, node, create, run.Token).ConfigureAwait(false);
        run.Report(node.Name, PhaseStatus.Changed, $"pool {z.Pool} created", sw.Elapsed);
        return true;
    }

    // --- carp ---

    private static IEnumerable<PlanStep> PlanCarp(ClusterContext c, BootstrapOptions o)
    {
        var s = S(c);
        if (s.Carp.Interface.Length == 0) return One("no carp: section: no CARP address");
        return Each(c, $"kldload -n carp; net.inet.carp.preempt={(s.Failover.Preempt ? 1 : 0)}; add CARP vhid {s.Carp.Vhid} ({s.Carp.Address}) on {s.Carp.Interface} as rc.conf.d/netif declares it, unless the interface has it");
    }

    private static async Task<bool> RunCarp(PhaseRun run)
    {
        var ctx = run.Context;
        var c = S(ctx).Carp;
        if (c.Interface.Length == 0) { run.Report("*", PhaseStatus.Skipped, "no carp: section", TimeSpan.Zero); return true; }
        var preempt = S(ctx).Failover.Preempt ? "1" : "0";
        foreach (var n in ctx.Nodes)
        {
            var sw = Stopwatch.StartNew();
            var done = new List<string>();
            var now = await ctx.Runner.RunAsync(n, HastCommands.Bounded(HastCommands.CarpPreemptRead(), HastCommands.ReadTimeout), run.Token).ConfigureAwait(false);
            var carp = await HastNodeReader.CarpOnlyAsync(ctx, n, c.Interface, c.Vhid, run.Token).ConfigureAwait(false);
            if (!now.Succeeded || now.StdOut.Trim() != preempt)
            {
                if (!run.Host.ShouldProcess(n.Name, $"load carp and set net.inet.carp.preempt={preempt}")) return false;
                await ChangeAsync(ctx, n, HastCommands.KldloadCarp(), run.Token).ConfigureAwait(false);
                await ChangeAsync(ctx, n, HastCommands.CarpPreempt(preempt == "1"), run.Token).ConfigureAwait(false);
                done.Add($"net.inet.carp.preempt={preempt}");
            }
            if (carp.Carp == null)
            {
                if (!run.Host.ShouldProcess(n.Name, $"add CARP vhid {c.Vhid} ({c.Address}) on {c.Interface}")) return false;
                await ChangeAsync(ctx, n, HastCommands.CarpAliasFromRcConf(c.Interface, c.Vhid, c.AliasIndex), run.Token).ConfigureAwait(false);
                done.Add($"CARP vhid {c.Vhid} on {c.Interface}");
            }
            run.Report(n.Name, done.Count > 0 ? PhaseStatus.Changed : PhaseStatus.Unchanged,
                done.Count > 0 ? string.Join("; ", done) : $"CARP vhid {c.Vhid} on {c.Interface} is {carp.Carp!.State.ToString().ToUpperInvariant()}", sw.Elapsed);
        }
        return true;
    }

    // --- failover ---

    private static IEnumerable<PlanStep> PlanFailover(ClusterContext c, BootstrapOptions o) =>
        S(c).Failover.Automatic
            ? Each(c, $"restart devd where {HastFailover.DevdPath} changed (devd reads its rules when it starts)")
            : One("failover.automatic: false: no devd rule and no failover script");

    private static async Task<bool> RunFailover(PhaseRun run, BootState st)
    {
        var ctx = run.Context;
        if (!S(ctx).Failover.Automatic) { run.Report("*", PhaseStatus.Skipped, "automatic failover is off (failover.automatic: false)", TimeSpan.Zero); return true; }
        foreach (var n in ctx.Nodes)
        {
            var sw = Stopwatch.StartNew();
            if (!(st.Changed.TryGetValue(n.Name, out var d) && d.Contains(HastFailover.DevdPath)))
            {
                run.Report(n.Name, PhaseStatus.Unchanged, $"devd has {HastFailover.DevdPath}", sw.Elapsed);
                continue;
            }
            if (!run.Host.ShouldProcess(n.Name, "restart devd (service devd restart) to read the CARP rule")) return false;
            await ChangeAsync(ctx, n, HastCommands.RestartDevd(), run.Token).ConfigureAwait(false);
            run.Report(n.Name, PhaseStatus.Changed, $"devd restarted with {HastFailover.DevdPath}", sw.Elapsed);
        }
        return true;
    }

    // --- health ---

    private async Task<bool> RunHealth(PhaseRun run)
    {
        var status = await GetStatusAsync(run.Context, run.Token).ConfigureAwait(false);
        var details = (HastStatusDetails)status.Details!;
        foreach (var n in details.Nodes)
            run.Report(n.Node, PhaseStatus.Ok, $"primary for {(n.Resources.Count(r => r.Role == HastRole.Primary) is var p && p > 0 ? string.Join(", ", n.Resources.Where(r => r.Role == HastRole.Primary).Select(r => r.Resource)) : "nothing")}"
                + (n.PoolImported == true ? "; pool imported" : "") + (n.Carp != null ? $"; CARP {n.Carp.State.ToString().ToUpperInvariant()}" : ""), TimeSpan.Zero);
        var bad = new[] { HastNoticeCodes.PrimaryOnBoth, HastNoticeCodes.PoolImportedTwice };
        foreach (var w in status.Notices.Where(w => w.Code != HastNoticeCodes.NoFencing))
        {
            run.Host.Warning(w.Message);
            run.Report(w.Node ?? "*", bad.Contains(w.Code) ? PhaseStatus.Failed : PhaseStatus.Warning, w.Message, TimeSpan.Zero);
        }
        return !status.Notices.Any(w => bad.Contains(w.Code));
    }
}
