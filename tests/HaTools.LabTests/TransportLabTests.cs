using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.LabTests;

/// <summary>The contract for runners that reach nodes over a network: host key policies and a typed failure kind
/// for each way a connection fails, against the lab's real sshd.</summary>
public abstract class RemoteRunnerContract : RunnerContract
{
    protected RemoteRunnerContract(ITestOutputHelper output) : base(output) { }

    /// <summary>A runner of the same kind with its own connection state (control sockets, sessions) under dir.</summary>
    protected abstract ICommandRunner FreshRunner(string dir);

    private static NodeTarget Retarget(NodeTarget n, string knownHosts, HostKeyPolicy policy) =>
        new NodeTarget(n.Name, n.Address) { User = n.User, Port = n.Port, IdentityFile = n.IdentityFile, KnownHostsFile = knownHosts, HostKeyPolicy = policy, ConnectTimeoutSec = 3 };

    [LabFact]
    public async Task Host_keys_unknown_refused_under_strict_pinned_under_accept_new_changed_refused_under_both()
    {
        var node = Targets[2];
        var dir = Directory.CreateTempSubdirectory("hatools-hostkeys-").FullName;
        try
        {
            var runner = FreshRunner(Path.Combine(dir, "cm"));
            var empty = Path.Combine(dir, "known_hosts");
            File.WriteAllText(empty, "");
            var strict = Retarget(node, empty, HostKeyPolicy.Strict);
            var r = await runner.RunAsync(strict, CommandRequest.Of("true"));
            Assert.True(r.Unreachable && !r.Succeeded, r.StdErr);
            Assert.Contains("host key", r.Error);
            Assert.Equal(FailureKind.HostKeyRefused, r.Failure);

            var acceptNew = Retarget(node, empty, HostKeyPolicy.AcceptNew);
            r = await runner.RunAsync(acceptNew, CommandRequest.Of("true"));
            Assert.True(r.Succeeded, r.StdErr + r.Error);
            // Pinned (possibly hashed, as Debian's HashKnownHosts does): ssh-keygen -F finds it by address.
            Assert.Equal(0, LabCluster.OnHost("ssh-keygen", "-F", node.Address, "-f", empty).ExitCode);
            r = await runner.RunAsync(strict, CommandRequest.Of("true"));
            Assert.True(r.Succeeded, "pinned key must satisfy Strict: " + r.StdErr);

            // A key that is not the node's: a changed host key, as after a reinstall or an attack.
            var fake = Path.Combine(dir, "fake");
            var kg = Process.Start(new ProcessStartInfo("ssh-keygen", $"-q -t ed25519 -N \"\" -f {fake}") { RedirectStandardOutput = true })!;
            kg.WaitForExit();
            var changed = Path.Combine(dir, "known_hosts_changed");
            File.WriteAllText(changed, $"{node.Address} {string.Join(' ', File.ReadAllText(fake + ".pub").Split(' ').Take(2))}\n");
            foreach (var policy in new[] { HostKeyPolicy.Strict, HostKeyPolicy.AcceptNew })
            {
                r = await runner.RunAsync(Retarget(node, changed, policy), CommandRequest.Of("true"));
                Assert.False(r.Succeeded, $"{policy}: a changed key must be refused");
                Assert.Contains("host key", r.Error);
                Assert.Equal(FailureKind.HostKeyRefused, r.Failure);
            }
            // No known_hosts file at all under Strict: refused before any connection, with the file named.
            r = await runner.RunAsync(Retarget(node, Path.Combine(dir, "missing"), HostKeyPolicy.Strict), CommandRequest.Of("true"));
            Assert.Equal(FailureKind.HostKeyRefused, r.Failure);
            Assert.Contains("does not exist", r.Error);
        }
        finally { Directory.Delete(dir, true); }
    }

    [LabFact]
    public async Task Each_way_of_failing_has_its_kind()
    {
        var node = Targets[0];
        var dir = Directory.CreateTempSubdirectory("hatools-kinds-").FullName;
        try
        {
            var runner = FreshRunner(Path.Combine(dir, "cm"));
            NodeTarget With(Func<NodeTarget, NodeTarget> f) => f(node);

            // Nothing listens on port 2 of the node: refused at once.
            var refused = await runner.RunAsync(With(n => new NodeTarget(n.Name, n.Address) { User = n.User, Port = 2, IdentityFile = n.IdentityFile, KnownHostsFile = n.KnownHostsFile, ConnectTimeoutSec = 2 }), CommandRequest.Of("true"));
            Assert.Equal(FailureKind.Unreachable, refused.Failure);
            Assert.True(refused.Unreachable);

            // A key the node does not know.
            var stranger = Path.Combine(dir, "stranger");
            Process.Start(new ProcessStartInfo("ssh-keygen", $"-q -t ed25519 -N \"\" -f {stranger}") { RedirectStandardOutput = true })!.WaitForExit();
            var auth = await runner.RunAsync(With(n => new NodeTarget(n.Name, n.Address) { User = n.User, Port = n.Port, IdentityFile = stranger, KnownHostsFile = n.KnownHostsFile, ConnectTimeoutSec = 3 }), CommandRequest.Of("true"));
            Assert.Equal(FailureKind.AuthFailed, auth.Failure);
            Assert.Equal("NodeAuthenticationFailed", ErrorCodes.ClassifyResult(auth)?.ErrorId);

            // The node stops answering (sshd frozen) before the command's time is up: the client gives up, timed out.
            var frozen = Targets[1];
            var warm = FreshRunner(Path.Combine(dir, "cm2"));
            Assert.True((await warm.RunAsync(frozen, CommandRequest.Of("true"))).Succeeded);
            Lab.Freeze(frozen.Name);
            try
            {
                var hung = await runner.RunAsync(new NodeTarget(frozen.Name, frozen.Address) { User = frozen.User, Port = frozen.Port, IdentityFile = frozen.IdentityFile, KnownHostsFile = frozen.KnownHostsFile, ConnectTimeoutSec = 1 },
                    new CommandRequest(new[] { "true" }, TimeSpan.FromSeconds(1)));
                Assert.True(hung.Failure == FailureKind.TimedOut || hung.Failure == FailureKind.Unreachable, $"{hung.Failure}: {hung.Error}");
            }
            finally { Lab.Thaw(frozen.Name); }

            // The connection dies while the command runs (its sshd killed): lost, and the command does not outlive it.
            var arg = "20." + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var lostRunner = FreshRunner(Path.Combine(dir, "cm3"));
            Assert.True((await lostRunner.RunAsync(Targets[2], CommandRequest.Of("true"))).Succeeded);
            using var cts = new CancellationTokenSource();
            var running = lostRunner.RunAsync(Targets[2], CommandRequest.Of("sleep", arg), cts.Token);
            await Task.Delay(1000);
            Assert.Equal(0, OnNode(Targets[2], "pkill", "-KILL", "-f", "^sshd: root@notty").ExitCode);
            var lost = await running;
            Assert.Equal(FailureKind.ConnectionLost, lost.Failure);
            Assert.False(lost.Succeeded);
            var sw = Stopwatch.StartNew();
            while (OnNode(Targets[2], "pgrep", "-f", "[s]leep " + arg).ExitCode == 0 && sw.Elapsed < TimeSpan.FromSeconds(5)) Thread.Sleep(50);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"the command outlived its connection by {sw.Elapsed.TotalSeconds:0.00} s");
        }
        finally
        {
            LabCluster.CloseMasters(dir);
            Directory.Delete(dir, true);
        }
    }
}

/// <summary>The OpenSSH runner (the system's ssh client, ControlMaster) against the lab's real sshd.</summary>
[Collection("lab")]
public class TransportLabTests : RemoteRunnerContract
{
    private readonly Core.ClusterContext _ctx = LabCluster.Nodes();

    public TransportLabTests(ITestOutputHelper output) : base(output) { }

    protected override ICommandRunner Runner => _ctx.Runner;
    protected override IReadOnlyList<NodeTarget> Targets => _ctx.Nodes;
    protected override LabResult OnNode(NodeTarget node, params string[] argv) => Lab.Exec(node.Name, argv);
    protected override ICommandRunner FreshRunner(string dir) => new SshCommandRunner(new SshRunnerOptions { ControlDirectory = dir });
}

/// <summary>The local runner (a node with address: local) where the contract applies: commands run on this host.</summary>
[Collection("lab")]
public class LocalRunnerContractTests : RunnerContract
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "hatools-local-contract-" + Guid.NewGuid().ToString("N").Substring(0, 8));

    public LocalRunnerContractTests(ITestOutputHelper output) : base(output) { }

    protected override ICommandRunner Runner { get; } = new LocalCommandRunner();
    protected override IReadOnlyList<NodeTarget> Targets { get; } = new[] { new NodeTarget("local", "local") { IsLocal = true } };
    protected override LabResult OnNode(NodeTarget node, params string[] argv) => LabCluster.OnHost(argv[0], argv.Skip(1).ToArray());
    protected override string HostNameOf(NodeTarget node) => LabCluster.OnHost("uname", "-n").StdOut.Trim();
    protected override string Scratch => _scratch;
}
