using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace HaTools.LabTests;

/// <summary>Checks that the lab itself behaves as the other lab tests assume.</summary>
[Collection("lab")]
public sealed class LabSelfTests
{
    private const int Nodes = 3;

    [LabFact]
    public void EachNodeHasItsOwnHostname()
    {
        for (int i = 1; i <= Nodes; i++)
        {
            var r = Lab.Exec(Lab.NodeName(i), "hostname");
            Assert.Equal(0, r.ExitCode);
            Assert.Equal(Lab.NodeName(i), r.StdOut.Trim());
        }
    }

    [LabFact]
    public void EachNodeHasItsAddressOnEth0()
    {
        for (int i = 1; i <= Nodes; i++)
        {
            var r = Lab.Exec(Lab.NodeName(i), "ip", "-4", "-o", "addr", "show", "dev", "eth0");
            Assert.Equal(0, r.ExitCode);
            Assert.Contains($"inet {Lab.Address(i)}/24", r.StdOut, StringComparison.Ordinal);
        }
    }

    [LabFact]
    public void NodePidNamespacesArePrivate()
    {
        var namespaces = new HashSet<string>(StringComparer.Ordinal) { ReadLink("/proc/self/ns/pid") };
        for (int i = 1; i <= Nodes; i++)
        {
            var ns = Lab.Exec(Lab.NodeName(i), "readlink", "/proc/self/ns/pid");
            Assert.Equal(0, ns.ExitCode);
            Assert.True(namespaces.Add(ns.StdOut.Trim()), $"node{i} shares a PID namespace: {ns.StdOut}");
        }

        var ps = Lab.Exec("node1", "ps", "-e", "-o", "pid=,args=");
        Assert.Equal(0, ps.ExitCode);
        var lines = ps.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length < 15, "node1 sees too many processes:\n" + ps.StdOut);
        Assert.Contains(lines, l => l.Contains("node-init.sh node1 ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("node-init.sh node2 ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("[listener]", StringComparison.Ordinal));
    }

    [LabFact]
    public void ExecKeepsArgvExitCodeAndStdin()
    {
        var r = Lab.Exec("node1", "sh", "-c", "printf '%s|' \"$@\"; exit 7", "sh", "a b", "", "*", "$HOME", "X=1");
        Assert.Equal(7, r.ExitCode);
        Assert.Equal("a b||*|$HOME|X=1|", r.StdOut);

        var cat = Lab.ExecWithInput("node2", "line one\nline two\n", "cat");
        Assert.Equal(0, cat.ExitCode);
        Assert.Equal("line one\nline two\n", cat.StdOut);
    }

    [LabFact]
    public void SshFromTheHostUsesTheWrittenFacts()
    {
        Assert.True(File.Exists(Lab.NodesFile), Lab.NodesFile);
        var yaml = File.ReadAllText(Lab.NodesFile);
        for (int i = 1; i <= Nodes; i++)
        {
            Assert.Contains($"address: {Lab.Address(i)}", yaml, StringComparison.Ordinal);
            var psi = new ProcessStartInfo("ssh")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "-F", Lab.SshConfig, Lab.NodeName(i), "hostname" })
            {
                psi.ArgumentList.Add(a);
            }

            var r = Lab.Run(psi, null, TimeSpan.FromSeconds(30));
            Assert.True(r.ExitCode == 0, $"ssh node{i}: {r.StdErr}");
            Assert.Equal(Lab.NodeName(i), r.StdOut.Trim());
        }
    }

    [LabFact]
    public async Task FreezeStopsSshBannerAndThawResumesIt()
    {
        const string node = "node2";
        var address = Lab.Address(2);
        Assert.True(await AnswersBanner(address, TimeSpan.FromSeconds(2)), "sshd does not answer before freeze");
        Lab.Freeze(node);
        try
        {
            Assert.False(await AnswersBanner(address, TimeSpan.FromSeconds(2)), "frozen sshd still answers");
        }
        finally
        {
            Lab.Thaw(node);
        }

        Assert.True(await AnswersBanner(address, TimeSpan.FromSeconds(2)), "sshd does not answer after thaw");
    }

    [LabFact]
    public void LinkDownCutsTheNodeOffAndLinkUpRestoresIt()
    {
        const string node = "node3";
        Lab.LinkDown(node);
        try
        {
            var ping = Lab.Exec("node1", "ping", "-c", "1", "-W", "1", Lab.Address(3));
            Assert.NotEqual(0, ping.ExitCode);
        }
        finally
        {
            Lab.LinkUp(node);
        }

        var again = Lab.Exec("node1", "ping", "-c", "1", "-W", "2", Lab.Address(3));
        Assert.True(again.ExitCode == 0, again.StdOut + again.StdErr);
    }

    [LabFact]
    public void ResetLeavesNoAuthkeyAndAnEmptyCib()
    {
        const string node = "node3";
        var dirty = Lab.Exec(node, "sh", "-c",
            "echo x > /etc/corosync/authkey && echo x > /etc/pacemaker/authkey && " +
            "echo '<cib/>' > /var/lib/pacemaker/cib/cib.xml && touch /dev/shm/qb-lab-test && " +
            "ip addr add 198.18.0.200/24 dev eth0");
        Assert.True(dirty.ExitCode == 0, dirty.StdErr);

        Lab.Reset(node);

        foreach (var f in new[] { "/etc/corosync/authkey", "/etc/pacemaker/authkey", "/dev/shm/qb-lab-test" })
        {
            Assert.NotEqual(0, Lab.Exec(node, "test", "-e", f).ExitCode);
        }

        var cib = Lab.Exec(node, "ls", "-A", "/var/lib/pacemaker/cib");
        Assert.Equal(0, cib.ExitCode);
        Assert.Equal(string.Empty, cib.StdOut.Trim());

        var addr = Lab.Exec(node, "ip", "-4", "-o", "addr", "show", "dev", "eth0");
        Assert.DoesNotContain("198.18.0.200", addr.StdOut, StringComparison.Ordinal);
        Assert.Contains(Lab.Address(3) + "/24", addr.StdOut, StringComparison.Ordinal);
        Assert.Equal(Lab.NodeName(3), Lab.Exec(node, "hostname").StdOut.Trim());
    }

    private static async Task<bool> AnswersBanner(string address, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address, 22, cts.Token);
            var stream = client.GetStream();
            var buf = new byte[64];
            int n = await stream.ReadAsync(buf, cts.Token);
            return n >= 4 && Encoding.ASCII.GetString(buf, 0, n).StartsWith("SSH-", StringComparison.Ordinal);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string ReadLink(string path) =>
        new FileInfo(path).LinkTarget ?? throw new InvalidOperationException("not a link: " + path);
}
