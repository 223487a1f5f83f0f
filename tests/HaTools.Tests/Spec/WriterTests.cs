using HaTools.Core.Spec;
using Xunit;

namespace HaTools.Tests.Spec;

public class WriterTests
{
    private static ClusterSpec RoundTrip(ClusterSpec spec)
    {
        var yaml = SpecWriter.ToYaml(spec);
        var again = SpecLoader.LoadText(yaml, "w.yaml");
        Assert.Equal(SpecTestUtil.Content(spec), SpecTestUtil.Content(again));
        return again;
    }

    [Fact]
    public void Minimal_spec_writes_only_what_is_set()
    {
        var spec = new ClusterSpec { Name = "c" };
        spec.Nodes.Add(new NodeSpec { Name = "a", Address = "192.0.2.1" });
        var yaml = SpecWriter.ToYaml(spec);
        Assert.Equal("name: c\nnodes:\n  - name: a\n    address: 192.0.2.1\n", yaml);
        RoundTrip(spec);
    }

    [Fact]
    public void Values_that_need_quotes_are_quoted_and_round_trip()
    {
        var spec = new ClusterSpec { Name = "c", Stack = StackKind.Pacemaker };
        spec.Ssh.Identity = "keys/my key#1";
        spec.Ssh.HostKeyPolicy = HostKeyPolicy.AcceptNew;
        spec.Nodes.Add(new NodeSpec { Name = "a", Address = "2001:db8::1", NodeId = 7, DataIface = "eth0.100" });
        spec.Nodes.Add(new NodeSpec { Name = "b", Address = "local" });
        spec.Nodes.Add(new NodeSpec { Name = "c3", Address = "c3.example.org", Ssh = { Port = 2222, User = "admin" } });
        spec.Corosync.Token = 2000;
        spec.Corosync.CryptoHash = "sha512";
        spec.Quorum.WaitForAll = false;
        spec.Properties["stonith-enabled"] = "true";
        var p = new PrimitiveSpec { Name = "r", Agent = "ocf:heartbeat:Dummy" };
        p.Params["empty"] = "";
        p.Params["null"] = "null";
        p.Params["tilde"] = "~";
        p.Params["quote"] = "it's \"x\"";
        p.Params["tab"] = "a\tb";
        p.Params["colon"] = "a: b";
        p.Params["hash"] = "#x";
        p.Params["dash"] = "-";
        p.Params["star"] = "*a";
        p.Params["amp"] = "&a";
        p.Params["bang"] = "!a";
        p.Params["number"] = "007";
        p.Params["unicode"] = "Grüße";
        p.Params["spaces"] = " lead and trail ";
        p.Ops.Add(new OperationSpec { Name = "monitor", Interval = "PT10S", Timeout = "20s", Role = "Promoted" });
        spec.Resources.Add(p);
        spec.Resources.Add(new PrimitiveSpec { Name = "s", Agent = "stonith:fence_xvm" });
        spec.Groups.Add(new GroupSpec { Name = "g", Resources = { "r" } });
        spec.Clones.Add(new CloneSpec { Name = "cl", Resource = "g", Promotable = true, Meta = { ["promoted-max"] = "1" } });
        spec.Constraints.Location.Add(new LocationSpec { Id = "loc-cl-a", Resource = "cl", Node = "a", Score = "-INFINITY" });
        spec.Constraints.Location.Add(new LocationSpec { Id = "own", Resource = "s", Node = "b", Avoids = true, Score = "INFINITY" });
        spec.Constraints.Colocation.Add(new ColocationSpec { Id = "col-s-cl", Resource = "s", With = "cl", Score = "-100" });
        spec.Constraints.Order.Add(new OrderSpec { Id = "o1", First = "cl", Then = "s", Kind = "Serialize" });
        spec.Storage.Devices.Add(new DeviceSpec { Path = "/dev/disk/by-id/x:y", Fstype = "xfs", Node = "a", Options = { "-L", "da ta", "-f" } });
        var again = RoundTrip(spec);
        Assert.Equal("it's \"x\"", again.Resources[0].Params["quote"]);
        Assert.Equal("a\tb", again.Resources[0].Params["tab"]);
    }

    [Fact]
    public void Non_pacemaker_stack_is_written()
    {
        var spec = new ClusterSpec { Name = "kv", Stack = StackKind.Consul };
        spec.Nodes.Add(new NodeSpec { Name = "a", Address = "192.0.2.1" });
        Assert.Contains("stack: consul\n", SpecWriter.ToYaml(spec));
        RoundTrip(spec);
    }

    [Fact]
    public void Crypto_off_and_udpu_round_trip()
    {
        var spec = new ClusterSpec { Name = "c" };
        spec.Nodes.Add(new NodeSpec { Name = "a", Address = "192.0.2.1" });
        spec.Corosync.Transport = "udpu";
        spec.Corosync.Crypto = false;
        spec.Corosync.CryptoCipher = "none";
        spec.Corosync.CryptoHash = "none";
        spec.Corosync.Consensus = 1200;
        Assert.Contains("crypto: false", SpecWriter.ToYaml(spec));
        RoundTrip(spec);
    }
}
