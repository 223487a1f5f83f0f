using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.Core.Stacks.Hast;
using HaTools.Tests.Pacemaker;
using HaTools.Tests.Reliability;
using Xunit;

namespace HaTools.Tests.Hast;

public class HastOfflineStatusTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_registry_reads_a_saved_hastctl_output_as_the_hast_stack_status()
    {
        var s = StackRegistry.Builtin.ReadStatusText("hast", Fixtures.Read("hast", "hastctl-status-primary-complete.foozone.txt"));
        Assert.Equal("hast", s.Stack);
        var d = Assert.IsType<HastStatusDetails>(s.Details);
        Assert.Equal(("storage", HastRole.Primary), (d.Resources.Single().Resource, d.Resources.Single().Role));
        Assert.Contains("hastctl", StackRegistry.Builtin.Get("hast").StatusTextFormat);
    }

    [Fact]
    public void The_file_reader_names_the_node_and_refuses_a_bad_node_name()
    {
        var file = Fixtures.Path_("hast", "hastctl-list-secondary-complete.foozone.txt");
        Assert.Equal("f1", HastStatusFile.Read(file, "f1").Single().Node);
        Assert.Null(HastStatusFile.Read(file, null).Single().Node);
        Assert.Throws<Core.Model.HaException>(() => HastStatusFile.Read(file, "f1;reboot"));
    }

    [Fact]
    public void Cli_hast_status_prints_one_json_object_per_resource()
    {
        var file = Fixtures.Path_("hast", "hastctl-list-secondary-complete.foozone.txt");
        var (exit, stdout, stderr) = Reliability.Cli.Run(Limit, "hast-status", "--from", file, "--node", "f1", "--json");
        Assert.True(exit == 0, stderr);
        var items = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();
        var r = Assert.Single(items);
        Assert.Equal("storage", r.GetProperty("Resource").GetString());
        Assert.Equal("f1", r.GetProperty("Node").GetString());
        Assert.Equal("Secondary", r.GetProperty("Role").GetString());
        Assert.Equal("Complete", r.GetProperty("Status").GetString());
        Assert.Equal(0, r.GetProperty("Dirty").GetInt64());
        Assert.Equal(2546, r.GetProperty("WorkerPid").GetInt32());
        Assert.Equal("192.168.1.130", r.GetProperty("Remote").GetString());
    }

    [Fact]
    public void Cli_hast_status_table_and_its_errors()
    {
        var table = Reliability.Cli.Run(Limit, "hast-status", "--from", Fixtures.Path_("hast", "hastctl-status-primary-complete.foozone.txt"), "--node", "f0");
        Assert.Equal(0, table.Exit);
        Assert.Contains("storage", table.StdOut);
        Assert.Contains("Primary", table.StdOut);

        var wrong = Fixtures.Path_("hast", "zpool-list.foozone.txt");
        var bad = Reliability.Cli.Run(Limit, "hast-status", "--from", wrong);
        Assert.Equal(1, bad.Exit);
        Assert.Contains($"{wrong}:1: neither 'hastctl list' output", bad.StdErr);

        var missing = Reliability.Cli.Run(Limit, "hast-status", "--from", Path.Combine(Path.GetTempPath(), "no-such-hastctl-output.txt"));
        Assert.Equal(1, missing.Exit);
        Assert.Contains("was not found", missing.StdErr);

        var usage = Reliability.Cli.Run(Limit, "hast-status", "--from", wrong, "--cluster", "cluster.yaml");
        Assert.Equal(2, usage.Exit);
        Assert.Contains("give one of them", usage.StdErr);
    }

    [Fact]
    public void Unbuilt_operations_of_the_hast_stack_are_refused_as_not_implemented_and_only_role_switching_is_claimed()
    {
        var ctx = new Core.ClusterContext(HastSpecTests.Example(), new FakeRunner());
        Assert.Equal("hast", ctx.Stack.Name);
        Assert.False(ctx.Has<IResourceControl>());
        Assert.False(ctx.Has<INodeStandby>());
        Assert.True(ctx.Has<IRoleSwitching>());
        var e = Assert.Throws<HastNotImplementedException>(() => ctx.Stack.StopClusterAsync(ctx, null, Core.NullOperationHost.Instance, default).GetAwaiter().GetResult());
        Assert.Contains("not implemented yet in this build", e.Message);
        Assert.Equal("StackNotSupported", HaTools.PowerShell.Infrastructure.ErrorClassifier.Classify(e).ErrorId);
        Assert.Contains("hastd", ctx.Stack.PlanBootstrap(ctx, new Core.BootstrapOptions()).Select(s => s.Phase));
    }
}
