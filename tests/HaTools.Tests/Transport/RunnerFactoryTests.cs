using System.IO;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;
using Xunit;

namespace HaTools.Tests.Transport;

/// <summary>ssh.transport in the cluster file chooses the runner; the context owns what it built.</summary>
public class RunnerFactoryTests
{
    private const string Yaml = "name: c\nssh:\n  transport: openssh\nnodes:\n  - { name: n1, address: 192.0.2.1 }\n  - { name: n2, address: local }\n";

    [Fact]
    public void Openssh_is_the_transport_named_and_the_default()
    {
        var spec = SpecLoader.LoadText(Yaml, "c.yaml");
        Assert.Equal("openssh", spec.Ssh.Transport);
        Assert.Equal(RunnerFactory.OpenSsh, NodeTarget.FromSpec(spec, spec.Nodes[0]).Transport);
        var plain = SpecLoader.LoadText(Yaml.Replace("ssh:\n  transport: openssh\n", ""), "c.yaml");
        Assert.Null(plain.Ssh.Transport);
        Assert.Equal(RunnerFactory.OpenSsh, NodeTarget.FromSpec(plain, plain.Nodes[0]).Transport);
        Assert.IsType<RoutingCommandRunner>(RunnerFactory.For(spec));
    }

    [Fact]
    public void An_unknown_transport_is_a_file_line_col_problem()
    {
        var ex = Assert.Throws<SpecException>(() => SpecLoader.LoadText(Yaml.Replace("transport: openssh", "transport: libssh"), "c.yaml"));
        Assert.Equal("c.yaml:3:14: ssh.transport: 'libssh' is not one of: openssh, sshnet", Assert.Single(ex.Problems).ToString());
    }

    [Fact]
    public void Sshnet_per_cluster_or_per_node_is_loaded_by_name_and_routed_per_node()
    {
        var spec = SpecLoader.LoadText(Yaml.Replace("transport: openssh", "transport: sshnet"), "c.yaml");
        using (var all = (RoutingCommandRunner)RunnerFactory.For(spec))
        {
            Assert.Equal("sshnet", NodeTarget.FromSpec(spec, spec.Nodes[0]).Transport);
            Assert.IsType<HaTools.Transport.SshNet.SshNetCommandRunner>(all.For(NodeTarget.FromSpec(spec, spec.Nodes[0])));
            Assert.IsType<LocalCommandRunner>(all.For(NodeTarget.FromSpec(spec, spec.Nodes[1])));
        }
        var mixed = SpecLoader.LoadText(Yaml.Replace("  - { name: n2, address: local }\n", "  - { name: n2, address: 192.0.2.2, ssh: { transport: sshnet } }\n"), "c.yaml");
        using var routing = (RoutingCommandRunner)RunnerFactory.For(mixed);
        Assert.IsType<SshCommandRunner>(routing.For(NodeTarget.FromSpec(mixed, mixed.Nodes[0])));
        Assert.IsType<HaTools.Transport.SshNet.SshNetCommandRunner>(routing.For(NodeTarget.FromSpec(mixed, mixed.Nodes[1])));
    }

    [Fact]
    public void The_default_is_openssh_where_an_ssh_client_is_on_the_path_and_sshnet_on_windows_or_without_one()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("hatools-path-").FullName;
        try
        {
            Assert.Equal(RunnerFactory.SshNet, RunnerFactory.DefaultFor(windows: false, dir));
            File.WriteAllText(Path.Combine(dir, "ssh"), "");
            Assert.Equal(RunnerFactory.OpenSsh, RunnerFactory.DefaultFor(windows: false, "/nonexistent" + Path.PathSeparator + dir));
            Assert.Equal(RunnerFactory.SshNet, RunnerFactory.DefaultFor(windows: true, dir));
            Assert.Equal(RunnerFactory.SshNet, RunnerFactory.DefaultFor(windows: false, null));
        }
        finally { System.IO.Directory.Delete(dir, true); }
    }

    [Fact]
    public void The_writer_keeps_the_transport()
    {
        var spec = SpecLoader.LoadText(Yaml, "c.yaml");
        Assert.Contains("transport: openssh", SpecWriter.ToYaml(spec));
    }

    [Fact]
    public void A_context_from_a_file_owns_and_disposes_its_runner_and_a_given_runner_stays_the_callers()
    {
        var file = Path.Combine(Path.GetTempPath(), "hatools-factory-" + System.Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(file, Yaml);
        try
        {
            using (var ctx = ClusterContext.FromFile(file)) Assert.IsType<RoutingCommandRunner>(ctx.Runner);
            var mine = new CountingRunner();
            using (var ctx = ClusterContext.FromFile(file, mine)) Assert.Same(mine, ctx.Runner);
            Assert.Equal(0, mine.Disposed);
        }
        finally { File.Delete(file); }
    }

    private sealed class CountingRunner : ICommandRunner, System.IDisposable
    {
        public int Disposed { get; private set; }
        public System.Threading.Tasks.Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, System.Threading.CancellationToken cancellationToken = default) =>
            System.Threading.Tasks.Task.FromResult(new CommandResult { Node = node.Name });
        public void Dispose() => Disposed++;
    }
}
