using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;
using HaTools.Transport.SshNet;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.LabTests;

/// <summary>
/// What only the sshnet runner has to show, against real sshd in the lab: what the handshake negotiated (seen by both
/// ends), that a server offering only weak algorithms is refused while the OpenSSH client (told to allow them) gets in,
/// RSA and ECDSA host keys pinned in hashed known_hosts lines, ECDSA, RSA (SHA-2) and encrypted identities, one connection
/// carrying 40 commands under Debian's MaxSessions 10, a reconnect after sshd restarts, a frozen sshd, and that disposing
/// the runner closes its connections. The extra sshds run in node3 on ports 2222–2226 with their own config under the
/// node's private /root, and are stopped at the end.
/// </summary>
[Collection("lab")]
public sealed class SshNetLabTests : IDisposable
{
    private const string Node = "node3";
    private const string Dir = "/root/hatools-sshnet";
    private static readonly string Address = Lab.Address(3);
    private readonly ITestOutputHelper _out;
    private readonly string _local = Directory.CreateTempSubdirectory("hatools-sshnet-lab-").FullName;
    private readonly List<int> _started = new List<int>();

    public SshNetLabTests(ITestOutputHelper output) { _out = output; }

    public void Dispose()
    {
        foreach (var port in _started)
            Lab.Exec(Node, "sh", "-c", $"[ -f {Dir}/{port}/sshd.pid ] && kill $(cat {Dir}/{port}/sshd.pid); exit 0");
        if (_started.Count > 0) Lab.Exec(Node, "rm", "-rf", Dir);
        Directory.Delete(_local, true);
    }

    private NodeTarget Lab3(Func<NodeTarget, NodeTarget>? change = null)
    {
        var ctx = new Core.ClusterContext(SpecLoader.Load(Lab.NodesFile), new LocalCommandRunner());
        var t = ctx.Node(Node);
        return change == null ? t : change(t);
    }

    private NodeTarget On(int port, string knownHosts, string? identity = null, HostKeyPolicy policy = HostKeyPolicy.Strict) =>
        new NodeTarget(Node, Address) { Port = port, User = "root", IdentityFile = identity ?? Lab.IdentityFile, KnownHostsFile = knownHosts, HostKeyPolicy = policy, ConnectTimeoutSec = 5 };

    /// <summary>Starts a second sshd in node3 on <paramref name="port"/> with the lab's settings plus <paramref name="extra"/>,
    /// host keys of the given types, and the given public keys authorised; returns its host public keys by type.</summary>
    private Dictionary<string, string> StartSshd(int port, string extra, string[] hostKeyTypes, params string[] authorized)
    {
        var d = $"{Dir}/{port}";
        var keys = string.Join(" ", hostKeyTypes);
        Assert.Equal(0, Lab.Exec(Node, "sh", "-c", $"rm -rf {d} && mkdir -p -m 700 {d} && for t in {keys}; do ssh-keygen -q -t $t -N '' -f {d}/hk_$t || exit 1; done").ExitCode);
        var config = string.Join("\n", new[]
        {
            $"ListenAddress {Address}", $"Port {port}",
        }.Concat(hostKeyTypes.Select(t => $"HostKey {d}/hk_{t}")).Concat(new[]
        {
            "PermitRootLogin prohibit-password", "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no",
            $"PidFile {d}/sshd.pid", $"AuthorizedKeysFile {d}/authorized_keys", "StrictModes no", "UseDNS no", "LogLevel DEBUG1",
        })) + "\n" + extra + "\n";
        Assert.Equal(0, Lab.ExecWithInput(Node, config, "sh", "-c", $"cat > {d}/sshd_config").ExitCode);
        var auth = string.Join("\n", authorized.Append(File.ReadAllText(Lab.IdentityFile + ".pub").Trim())) + "\n";
        Assert.Equal(0, Lab.ExecWithInput(Node, auth, "sh", "-c", $"cat > {d}/authorized_keys").ExitCode);
        var start = Lab.Exec(Node, "/usr/sbin/sshd", "-f", $"{d}/sshd_config", "-E", $"{d}/sshd.log");
        Assert.True(start.ExitCode == 0, start.StdErr);
        _started.Add(port);
        var deadline = Stopwatch.StartNew();
        while (Lab.Exec(Node, "sh", "-c", $"[ -s {d}/sshd.pid ]").ExitCode != 0 && deadline.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(50);
        return hostKeyTypes.ToDictionary(t => t, t => Lab.Exec(Node, "cat", $"{d}/hk_{t}.pub").StdOut.Trim());
    }

    private string SshdLog(int port) => Lab.Exec(Node, "cat", $"{Dir}/{port}/sshd.log").StdOut;

    private string KnownHosts(string name, params string[] lines)
    {
        var f = Path.Combine(_local, name);
        File.WriteAllText(f, string.Join("\n", lines) + "\n");
        return f;
    }

    /// <summary>A known_hosts line for port <paramref name="port"/> hashed by OpenSSH's own ssh-keygen -H.</summary>
    private string HashedByOpenSsh(string name, int port, string publicKey)
    {
        var f = KnownHosts(name, $"[{Address}]:{port} {string.Join(' ', publicKey.Split(' ').Take(2))}");
        Assert.Equal(0, LabCluster.OnHost("ssh-keygen", "-H", "-f", f).ExitCode);
        File.Delete(f + ".old");
        Assert.StartsWith("|1|", File.ReadAllText(f));
        return f;
    }

    private string NewKey(string name, string type, string passphrase = "")
    {
        var f = Path.Combine(_local, name);
        var p = Process.Start(new ProcessStartInfo("ssh-keygen") { ArgumentList = { "-q", "-t", type, "-N", passphrase, "-C", "hatools-lab-" + name, "-f", f }, RedirectStandardOutput = true })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return f;
    }

    [LabFact]
    public async Task The_lab_sshd_negotiates_curve25519_ed25519_and_aes_gcm_and_sshd_logs_the_same()
    {
        using var runner = new SshNetCommandRunner();
        var node = Lab3();
        Assert.True((await runner.RunAsync(node, CommandRequest.Of("true"))).Succeeded);
        var n = runner.NegotiatedWith(node)!;
        _out.WriteLine("lab sshd: " + n);
        Assert.Equal(("curve25519-sha256", "ssh-ed25519", "aes128-gcm@openssh.com", "aes128-gcm@openssh.com"), (n.KeyExchange, n.HostKey, n.ClientCipher, n.ServerCipher));
        Assert.StartsWith("SSH-2.0-OpenSSH_9.2", n.ServerVersion);

        // The server's own account, from a second sshd logging at DEBUG1 (kex: algorithm / host key / cipher lines).
        var hk = StartSshd(2226, "", new[] { "ed25519" });
        var kh = KnownHosts("kh2226", $"[{Address}]:2226 {hk["ed25519"]}");
        Assert.True((await runner.RunAsync(On(2226, kh), CommandRequest.Of("true"))).Succeeded);
        var log = SshdLog(2226);
        Assert.Contains("kex: algorithm: curve25519-sha256", log);
        Assert.Contains("kex: host key algorithm: ssh-ed25519", log);
        Assert.Contains("kex: client->server cipher: aes128-gcm@openssh.com MAC: <implicit> compression: none", log);
        Assert.Contains("kex: server->client cipher: aes128-gcm@openssh.com MAC: <implicit> compression: none", log);
    }

    [LabFact]
    public async Task A_server_offering_only_weak_algorithms_is_refused_which_the_openssh_client_allowed_to_use_them_reaches()
    {
        var cases = new (int Port, string Config, string[] HostKeys, string OpenSshOption)[]
        {
            (2222, "KexAlgorithms diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1", new[] { "ed25519" }, "KexAlgorithms=+diffie-hellman-group14-sha1"),
            (2223, "Ciphers aes128-cbc,aes256-cbc,3des-cbc", new[] { "ed25519" }, "Ciphers=+aes128-cbc"),
            (2224, "Ciphers aes128-ctr\nMACs hmac-sha1,hmac-sha1-etm@openssh.com", new[] { "ed25519" }, "MACs=+hmac-sha1"),
            (2225, "HostKeyAlgorithms ssh-rsa", new[] { "rsa" }, "HostKeyAlgorithms=+ssh-rsa"),
        };
        using var runner = new SshNetCommandRunner();
        foreach (var c in cases)
        {
            var keys = StartSshd(c.Port, c.Config, c.HostKeys);
            var kh = KnownHosts("kh" + c.Port, $"[{Address}]:{c.Port} {keys[c.HostKeys[0]]}");
            var ssh = LabCluster.OnHost("ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "UserKnownHostsFile=" + kh, "-o", "StrictHostKeyChecking=yes",
                "-o", c.OpenSshOption, "-i", Lab.IdentityFile, "-p", c.Port.ToString(CultureInfo.InvariantCulture), "root@" + Address, "echo", "reached");
            Assert.True(ssh.StdOut.Trim() == "reached", $"{c.Config}: the OpenSSH client with {c.OpenSshOption} should reach it: {ssh.StdErr}");
            var r = await runner.RunAsync(On(c.Port, kh), CommandRequest.Of("echo", "reached"));
            _out.WriteLine($"{c.Config.Replace('\n', ' ')}: {r.Failure}: {r.Error}");
            Assert.Equal(FailureKind.Unreachable, r.Failure);
            Assert.Contains("in common", r.Error);
            Assert.DoesNotContain("reached", r.StdOut);
        }
    }

    [LabFact]
    public async Task Rsa_and_ecdsa_host_keys_known_by_hashed_lines_are_asked_for_and_matched_and_client_keys_of_each_type_log_in()
    {
        var ecdsa = NewKey("id_ecdsa", "ecdsa");
        var rsa = NewKey("id_rsa", "rsa");
        const string pass = "lab passphrase";
        var encrypted = NewKey("id_ed25519_enc", "ed25519", pass);
        var hk = StartSshd(2226, "", new[] { "ed25519", "ecdsa", "rsa" },
            File.ReadAllText(ecdsa + ".pub").Trim(), File.ReadAllText(rsa + ".pub").Trim(), File.ReadAllText(encrypted + ".pub").Trim());

        using var runner = new SshNetCommandRunner();
        var onlyRsa = HashedByOpenSsh("kh-rsa", 2226, hk["rsa"]);
        Assert.True((await runner.RunAsync(On(2226, onlyRsa), CommandRequest.Of("true"))).Succeeded);
        Assert.Equal("rsa-sha2-512", runner.NegotiatedWith(On(2226, onlyRsa))!.HostKey);
        var onlyEcdsa = HashedByOpenSsh("kh-ecdsa", 2226, hk["ecdsa"]);
        Assert.True((await runner.RunAsync(On(2226, onlyEcdsa), CommandRequest.Of("true"))).Succeeded);
        Assert.Equal("ecdsa-sha2-nistp256", runner.NegotiatedWith(On(2226, onlyEcdsa))!.HostKey);
        // Known by the ed25519 key only under a plain name for port 22: no key is known for [host]:2226.
        var port22 = KnownHosts("kh-22", $"{Address} {hk["ed25519"]}");
        var refused = await runner.RunAsync(On(2226, port22), CommandRequest.Of("true"));
        Assert.Equal(FailureKind.HostKeyRefused, refused.Failure);

        var all = KnownHosts("kh-all", $"[{Address}]:2226 {hk["ed25519"]}");
        foreach (var id in new[] { ecdsa, rsa })
        {
            var r = await runner.RunAsync(On(2226, all, id), CommandRequest.Of("id", "-u"));
            Assert.True(r.Succeeded, $"{Path.GetFileName(id)}: {r.Error}");
            Assert.Equal("0", r.StdOut.Trim());
        }
        // sshd 9.2 accepts no ssh-rsa (SHA-1) signature by default, and says which one it checked.
        Assert.Contains("pkalg rsa-sha2-512", SshdLog(2226));

        // The encrypted key: without a passphrase, an authentication failure that says so; with one from a SecureString, in.
        using (var none = new SshNetCommandRunner())
        {
            var r = await none.RunAsync(On(2226, all, encrypted), CommandRequest.Of("true"));
            Assert.Equal(FailureKind.AuthFailed, r.Failure);
            Assert.Contains("encrypted", r.Error);
        }
        var secret = new SecureString();
        foreach (var ch in pass) secret.AppendChar(ch);
        secret.MakeReadOnly();
        using (var withPass = new SshNetCommandRunner(new SshRunnerOptions { IdentityPassphrase = _ => secret.Copy() }))
        {
            var r = await withPass.RunAsync(On(2226, all, encrypted), CommandRequest.Of("id", "-u"));
            Assert.True(r.Succeeded, r.Error);
            Assert.DoesNotContain(pass, r.StdOut + r.StdErr);
        }
        Assert.DoesNotContain(pass, SshdLog(2226));
    }

    [LabFact]
    public async Task Forty_commands_at_once_share_one_connection_under_debians_MaxSessions_10()
    {
        var hk = StartSshd(2226, "MaxSessions 10", new[] { "ed25519" });
        var kh = KnownHosts("kh2226", $"[{Address}]:2226 {hk["ed25519"]}");
        using var runner = new SshNetCommandRunner();
        var node = On(2226, kh);
        Assert.True((await runner.RunAsync(node, CommandRequest.Of("true"))).Succeeded);
        var sw = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => runner.RunAsync(node, CommandRequest.Of("sh", "-c", "sleep 0.3; echo " + i))));
        _out.WriteLine($"40 commands of 0.3 s on one connection: {sw.Elapsed.TotalSeconds:0.00} s");
        Assert.All(results.Select((r, i) => (r, i)), x => Assert.True(x.r.Succeeded && x.r.StdOut.Trim() == x.i.ToString(CultureInfo.InvariantCulture), $"{x.i}: {x.r.Error}"));
        var conns = Lab.Exec(Node, "sh", "-c", $"ss -Htn state established '( sport = :2226 )' | wc -l").StdOut.Trim();
        Assert.Equal("1", conns);
    }

    [LabFact]
    public async Task After_sshd_restarts_the_next_command_runs_on_a_new_connection_and_a_frozen_one_times_out()
    {
        using var runner = new SshNetCommandRunner();
        var node = Lab3();
        Assert.True((await runner.RunAsync(node, CommandRequest.Of("true"))).Succeeded);
        Lab.KillSshd(Node);
        Lab.WaitForSsh(Node);
        var after = await runner.RunAsync(node, CommandRequest.Of("uname", "-n"));
        Assert.True(after.Succeeded, after.Error);
        Assert.Equal(Node, after.StdOut.Trim());

        Lab.Freeze(Node);
        try
        {
            var sw = Stopwatch.StartNew();
            var hung = await runner.RunAsync(node, new CommandRequest(new[] { "true" }, TimeSpan.FromSeconds(1)));
            _out.WriteLine($"frozen sshd, warm connection: {hung.Failure} after {sw.Elapsed.TotalSeconds:0.00} s: {hung.Error}");
            Assert.True(hung.Failure == FailureKind.TimedOut || hung.Failure == FailureKind.Unreachable, $"{hung.Failure}: {hung.Error}");
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
            sw.Restart();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(node, CommandRequest.Of("true"), cts.Token));
            _out.WriteLine($"frozen sshd, cancelled after 0.7 s: returned at {sw.Elapsed.TotalSeconds:0.00} s");
        }
        finally { Lab.Thaw(Node); }
        var thawed = await runner.RunAsync(node, CommandRequest.Of("true"));
        Assert.True(thawed.Succeeded, thawed.Error);
    }

    [LabFact]
    public async Task Disposing_the_runner_closes_its_connections()
    {
        int Sessions() => int.Parse(Lab.Exec(Node, "sh", "-c", "pgrep -c -f '^sshd: root@notty' || true").StdOut.Trim(), CultureInfo.InvariantCulture);
        var before = Sessions();
        var runner = new SshNetCommandRunner();
        var node = Lab3();
        Assert.True((await runner.RunAsync(node, CommandRequest.Of("true"))).Succeeded);
        Assert.Equal(before + 1, Sessions());
        runner.Dispose();
        var sw = Stopwatch.StartNew();
        while (Sessions() > before && sw.Elapsed < TimeSpan.FromSeconds(5)) Thread.Sleep(50);
        Assert.Equal(before, Sessions());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => runner.RunAsync(node, CommandRequest.Of("true")));
    }
}
