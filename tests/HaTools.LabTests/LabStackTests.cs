using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace HaTools.LabTests;

/// <summary>
/// Proves that the bare lab nodes are enough for a real Corosync + Pacemaker
/// cluster without systemd: the daemons are started and stopped with the
/// Debian init scripts inside each node.
/// </summary>
[Collection("lab")]
public sealed class LabStackTests
{
    private const int Nodes = 3;

    [LabFact]
    public async Task BareNodesFormAQuorateClusterWithADc()
    {
        try
        {
            var conf = CorosyncConf(Nodes);
            for (int i = 1; i <= Nodes; i++)
            {
                var w = Lab.ExecWithInput(Lab.NodeName(i), conf, "sh", "-c", "cat > /etc/corosync/corosync.conf");
                Assert.True(w.ExitCode == 0, w.StdErr);
            }

            // /etc/init.d/corosync exits 0 even when corosync fails: check the membership instead.
            await OnAllNodes(i => Lab.Exec(Lab.NodeName(i), "/etc/init.d/corosync", "start"));
            await WaitFor(TimeSpan.FromSeconds(30), () =>
                Lab.Exec("node1", "corosync-quorumtool", "-s").StdOut.Contains($"Total votes:      {Nodes}", StringComparison.Ordinal));

            // /etc/init.d/pacemaker backgrounds pacemakerd and sleeps 5 s; run the nodes in parallel.
            await OnAllNodes(i => Lab.Exec(Lab.NodeName(i), "/etc/init.d/pacemaker", "start"));
            string xml = string.Empty;
            await WaitFor(TimeSpan.FromSeconds(90), () =>
            {
                xml = Lab.Exec("node1", "crm_mon", "-1", "--output-as=xml").StdOut;
                return xml.Contains("with_quorum=\"true\"", StringComparison.Ordinal)
                    && CountOf(xml, "online=\"true\"") == Nodes;
            });
            Assert.Contains("<current_dc present=\"true\"", xml, StringComparison.Ordinal);

            var stop = Lab.Exec("node3", "/etc/init.d/pacemaker", "stop");
            Assert.True(stop.ExitCode == 0, stop.StdOut + stop.StdErr);
            Assert.Equal(0, Lab.Exec("node3", "/etc/init.d/corosync", "stop").ExitCode);
            Assert.NotEqual(0, Lab.Exec("node3", "pidof", "corosync", "pacemakerd").ExitCode);
        }
        finally
        {
            Lab.Reset("all");
        }

        for (int i = 1; i <= Nodes; i++)
        {
            Assert.NotEqual(0, Lab.Exec(Lab.NodeName(i), "pidof", "corosync", "pacemakerd").ExitCode);
            Assert.Equal(string.Empty, Lab.Exec(Lab.NodeName(i), "ls", "-A", "/var/lib/pacemaker/cib").StdOut);
        }
    }

    private static string CorosyncConf(int n)
    {
        var sb = new StringBuilder();
        sb.Append("totem {\n    version: 2\n    cluster_name: lab\n    transport: knet\n")
          .Append("    crypto_cipher: none\n    crypto_hash: none\n}\n")
          .Append("logging {\n    to_logfile: yes\n    logfile: /var/log/corosync/corosync.log\n")
          .Append("    to_syslog: no\n    to_stderr: no\n    timestamp: on\n}\n")
          .Append("quorum {\n    provider: corosync_votequorum\n}\n")
          .Append("nodelist {\n");
        for (int i = 1; i <= n; i++)
        {
            sb.Append("    node {\n")
              .Append("        ring0_addr: ").Append(Lab.Address(i)).Append('\n')
              .Append("        name: ").Append(Lab.NodeName(i)).Append('\n')
              .Append("        nodeid: ").Append(i).Append('\n')
              .Append("    }\n");
        }

        return sb.Append("}\n").ToString();
    }

    private static async Task OnAllNodes(Func<int, LabResult> action)
    {
        var results = await Task.WhenAll(Enumerable.Range(1, Nodes).Select(i => Task.Run(() => action(i))));
        foreach (var r in results)
        {
            Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        }
    }

    private static async Task WaitFor(TimeSpan timeout, Func<bool> condition)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(sw.Elapsed < timeout, $"condition not met within {timeout.TotalSeconds:0} s");
            await Task.Delay(500, CancellationToken.None);
        }
    }

    private static int CountOf(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
