using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.FileServices;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Tests.Pacemaker;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.Tests.FileServices;

/// <summary>
/// The generated constraints and stickiness run through Pacemaker's own scheduler (crm_simulate, the same code the DC
/// runs): all nodes up, the holder of vip1 fails, it comes back. Where the addresses end up is read with crm_mon from
/// the simulated CIB and parsed by HaTools' crm_mon parser. A node that rejoins gets its resource history erased by the
/// DC (and is probed again); the simulation does the same before bringing it back.
/// </summary>
public class FailbackSimulationTests
{
    private readonly ITestOutputHelper _out;
    public FailbackSimulationTests(ITestOutputHelper output) => _out = output;

    private static readonly string[] Vips = { "vip1", "vip2", "vip3" };

    private sealed class Sim : System.IDisposable
    {
        private readonly ITestOutputHelper _out;
        private readonly string _dir = Directory.CreateTempSubdirectory("hatools-fs-sim-").FullName;
        private int _step;
        public string Current { get; private set; }

        public Sim(ClusterSpec spec, ITestOutputHelper output)
        {
            _out = output;
            spec.Properties["stonith-enabled"] = "false";
            var cib = CibGenerator.FullCib(spec);
            var nodes = cib.Root!.Element("configuration")!.Element("nodes")!;
            for (var i = 0; i < spec.Nodes.Count; i++)
                nodes.Add(new XElement("node", new XAttribute("id", (i + 1).ToString()), new XAttribute("uname", spec.Nodes[i].Name)));
            Current = Path.Combine(_dir, "0.xml");
            File.WriteAllText(Current, CibXml.ToText(cib));
        }

        /// <summary>crm_simulate --simulate with the given events; the result becomes the current CIB.</summary>
        public ClusterStatus Run(params string[] events)
        {
            var next = Path.Combine(_dir, $"{++_step}.xml");
            var run = Fixtures.Exec(Fixtures.Tool("crm_simulate")!, new[] { "--xml-file", Current, "--simulate", "--quorum", "1", "--save-output", next }.Concat(events));
            _out.WriteLine($"crm_simulate {string.Join(" ", events)}: exit {run.ExitCode}");
            Assert.True(run.ExitCode == 0, run.ToString());
            Current = next;
            var mon = Fixtures.Exec(Fixtures.Tool("crm_mon")!, new[] { "--one-shot", "--inactive", "--output-as=xml" }, new Dictionary<string, string> { ["CIB_file"] = Current });
            Assert.True(mon.ExitCode == 0, mon.ToString());
            var s = CrmMonParser.Parse(mon.StdOut);
            _out.WriteLine(string.Join(", ", Vips.Select(v => $"{v}@{Where(s, v)}")));
            return s;
        }

        /// <summary>What the DC does when a node rejoins: its old resource history is erased (it is probed again).</summary>
        public void EraseHistory(string node)
        {
            var doc = XDocument.Load(Current);
            doc.Root!.Element("status")!.Elements("node_state").Where(n => (string?)n.Attribute("uname") == node).Elements("lrm").Remove();
            doc.Save(Current);
        }

        public void Dispose() => Directory.Delete(_dir, true);
    }

    private static string? Where(ClusterStatus s, string resource) => s.Resources.Single(r => r.Name == resource).Node;

    private static ClusterSpec Lab(string failback)
    {
        var spec = FileServicesSpecTests.Example();
        FileServicesModel.Of(spec)!.Failback = failback;
        return spec;
    }

    private (ClusterStatus Before, ClusterStatus Failed, ClusterStatus Back, string Holder) KillAndReturnTheHolderOfVip1(ClusterSpec spec)
    {
        using var sim = new Sim(spec, _out);
        var before = sim.Run(spec.Nodes.SelectMany(n => new[] { "--node-up", n.Name }).ToArray());
        var holder = Where(before, "vip1")!;
        var failed = sim.Run("--node-fail", holder);
        sim.EraseHistory(holder);
        var back = sim.Run("--node-up", holder);
        // An address whose node did not fail stays where it is while the others fail over.
        foreach (var v in Vips.Where(v => Where(before, v) != holder)) Assert.Equal(Where(before, v), Where(failed, v));
        return (before, failed, back, holder);
    }

    private static void AllAddressesUp(ClusterStatus s, IEnumerable<string> on)
    {
        var nodes = on.ToList();
        foreach (var v in Vips) Assert.Contains(Where(s, v), nodes);
        // Every daemon clone runs where an address runs.
        foreach (var v in Vips)
            foreach (var d in new[] { "ctdb", "smbd", "ganesha" })
                Assert.Contains(s.Resources, r => r.Name == d && r.Node == Where(s, v) && r.Role == "Started");
    }

    [ToolFact("crm_simulate", "crm_mon")]
    public void Stay_leaves_a_moved_address_where_it_went()
    {
        var (before, failed, back, holder) = KillAndReturnTheHolderOfVip1(Lab("stay"));
        Assert.Equal(new[] { "node1", "node2", "node3" }, Vips.Select(v => Where(before, v)));
        AllAddressesUp(failed, new[] { "node2", "node3" });
        Assert.Equal(Where(failed, "vip1"), Where(back, "vip1"));
        Assert.Equal(Vips.Select(v => Where(failed, v)), Vips.Select(v => Where(back, v)));
        Assert.Equal("node1", holder);
    }

    [ToolFact("crm_simulate", "crm_mon")]
    public void Return_home_brings_the_address_back_to_its_home()
    {
        var (before, failed, back, holder) = KillAndReturnTheHolderOfVip1(Lab("return-home"));
        Assert.Equal(new[] { "node1", "node2", "node3" }, Vips.Select(v => Where(before, v)));
        AllAddressesUp(failed, new[] { "node2", "node3" });
        Assert.NotEqual(holder, Where(failed, "vip1"));
        Assert.Equal(new[] { "node1", "node2", "node3" }, Vips.Select(v => Where(back, v)));
    }

    [ToolFact("crm_simulate", "crm_mon")]
    public void Explicit_homes_are_where_the_addresses_start_and_return()
    {
        var spec = Lab("return-home");
        var fs = FileServicesModel.Of(spec)!;
        fs.VipRange = null;
        foreach (var (a, home) in new[] { ("198.18.0.101/24", "node3"), ("198.18.0.102/24", "node1"), ("198.18.0.103/24", "node2") })
            fs.VipList.Add(new VipSpec { Address = a, Home = home });
        var (before, failed, back, holder) = KillAndReturnTheHolderOfVip1(spec);
        Assert.Equal(("node3", "node3"), (Where(before, "vip1"), holder));
        AllAddressesUp(failed, new[] { "node1", "node2" });
        Assert.Equal(new[] { "node3", "node1", "node2" }, Vips.Select(v => Where(back, v)));
    }

    [ToolFact("crm_simulate", "crm_mon")]
    public void A_node_that_does_not_serve_never_holds_an_address_or_a_daemon()
    {
        var spec = Lab("return-home");
        var fs = FileServicesModel.Of(spec)!;
        fs.Nodes.AddRange(new[] { "node1", "node2" });
        fs.VipRange!.Count = 3;
        using var sim = new Sim(spec, _out);
        var s = sim.Run("--node-up", "node1", "--node-up", "node2", "--node-up", "node3");
        Assert.DoesNotContain(s.Resources, r => r.Node == "node3");
        var failed = sim.Run("--node-fail", "node1");
        Assert.All(Vips, v => Assert.Equal("node2", Where(failed, v)));
    }
}
