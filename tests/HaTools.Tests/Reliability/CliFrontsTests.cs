using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Core.Spec;
using HaTools.PowerShell.Infrastructure;
using Xunit;
using Shared = HaTools.Core.Input;

namespace HaTools.Tests.Reliability;

/// <summary>The two fronts take the same request to the same CIB: the built hatools.dll runs `resource add` against a
/// cluster file whose node is `address: local`, with a stand-in cibadmin first on PATH that records what it is given
/// on stdin; New-HaResource's side is its own converter and builder calls, in-process.</summary>
// Their clusters are nodes with address: local, so their changes take the cluster lock on this machine, under one
// lock root: they run one after another, as two operators of the same node would.
[Collection(LocalNodeLock.Name)]
public sealed class CliFrontsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hatools-fronts-" + Guid.NewGuid().ToString("N"));

    public CliFrontsTests()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "cluster.yaml"), "name: c\nnodes: [ { name: a, address: local } ]\n");
        File.WriteAllText(Path.Combine(_dir, "cib.xml"), "<cib><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status/></cib>");
        // Stand-in for cibadmin (no Pacemaker runs here): --query prints the empty CIB, --create keeps its stdin and argv.
        var tool = Path.Combine(_dir, "cibadmin");
        File.WriteAllText(tool, "#!/bin/sh\nd=$(dirname \"$0\")\ncase \"$1\" in\n  --query) cat \"$d/cib.xml\" ;;\n  --create) echo \"$@\" > \"$d/argv\"; cat > \"$d/created.xml\" ;;\n  *) exit 64 ;;\nesac\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>A stand-in tool that appends its argv to DIR/NAME.argv and prints DIR/NAME.out when there is one.</summary>
    private void Recorder(string name, string? output = null)
    {
        if (output != null) File.Copy(output, Path.Combine(_dir, name + ".out"));
        var tool = Path.Combine(_dir, name);
        File.WriteAllText(tool, $"#!/bin/sh\nd=$(dirname \"$0\")\necho \"$@\" >> \"$d/{name}.argv\"\n[ -f \"$d/{name}.out\" ] && cat \"$d/{name}.out\"\nexit 0\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private Dictionary<string, string> Env => new Dictionary<string, string> { ["PATH"] = _dir + ":" + Environment.GetEnvironmentVariable("PATH") };

    private string CliCreates(params string[] args)
    {
        var (exit, stdout, stderr) = Cli.Run(TimeSpan.FromSeconds(60), Env, new[] { "resource", "add" }.Concat(args).Concat(new[] { "--cluster", Path.Combine(_dir, "cluster.yaml"), "--json" }).ToArray());
        Assert.True(exit == 0, stderr);
        Assert.Contains("\"Action\": \"create\"", stdout);
        Assert.Equal("--create --scope resources --xml-pipe", File.ReadAllText(Path.Combine(_dir, "argv")).Trim());
        return File.ReadAllText(Path.Combine(_dir, "created.xml"));
    }

    /// <summary>What New-HaResource's ProcessRecord builds from its parameters (the same calls, in the same order).</summary>
    private static PrimitiveSpec ModuleBuilds(string name, string agent, Hashtable? parameter, Hashtable? meta, Hashtable[]? operation)
    {
        var ops = (operation ?? Array.Empty<Hashtable>()).Select((t, i) => InputConverters.Operation(t, i, (n, why) => why, k => k)).ToList();
        return Shared.ResourceRequest.Build(name, agent, parameter, meta, ops, (p, k) => k);
    }

    private static string Cib(PrimitiveSpec spec) => CibGenerator.Primitive(spec).ToString(SaveOptions.DisableFormatting);

    [Fact]
    public void Resource_add_and_New_HaResource_build_the_same_primitive_with_the_default_monitor()
    {
        var cli = CliCreates("vip", "ocf:heartbeat:IPaddr2", "ip=10.0.0.50", "cidr_netmask=24");
        var module = ModuleBuilds("vip", "ocf:heartbeat:IPaddr2", new Hashtable { ["ip"] = "10.0.0.50", ["cidr_netmask"] = 24 }, null, null);
        Assert.Equal(Cib(module), cli);
        var op = XElement.Parse(cli).Descendants("op").Single();
        Assert.Equal(("monitor", "10s", "20s"), ((string)op.Attribute("name")!, (string)op.Attribute("interval")!, (string)op.Attribute("timeout")!));
    }

    [Fact]
    public void Meta_and_explicit_operations_arrive_the_same_from_either_front()
    {
        var cli = CliCreates("web", "systemd:nginx", "--meta", "resource-stickiness=100", "--meta", "target-role=Stopped",
            "--op", "name=monitor,interval=30s,timeout=60s", "--op", "name=start,interval=0,timeout=90s");
        var module = ModuleBuilds("web", "systemd:nginx", null, new Hashtable { ["resource-stickiness"] = 100, ["target-role"] = "Stopped" },
            new[] { new Hashtable { ["name"] = "monitor", ["interval"] = "30s", ["timeout"] = "60s" }, new Hashtable { ["name"] = "start", ["interval"] = "0", ["timeout"] = "90s" } });
        Assert.Equal(Cib(module), cli);
        Assert.Equal(new[] { "monitor:30s", "start:0" }, XElement.Parse(cli).Descendants("op").Select(o => $"{o.Attribute("name")!.Value}:{o.Attribute("interval")!.Value}"));
    }

    [Fact]
    public void A_bad_parameter_word_is_a_usage_error_before_any_node_is_asked()
    {
        var (exit, _, stderr) = Cli.Run(TimeSpan.FromSeconds(60), Env, "resource", "add", "vip", "ocf:heartbeat:IPaddr2", "ip", "--cluster", Path.Combine(_dir, "cluster.yaml"));
        Assert.Equal(2, exit);
        Assert.StartsWith("hatools: parameter 'ip' is not key=value", stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "argv")));
    }

    [Fact]
    public void Move_lifetime_reaches_crm_resource_as_the_cmdlets_TimeSpan_would()
    {
        Recorder("crm_mon", Path.Combine(Spec.SpecTestUtil.RepoRoot, "tests", "fixtures", "crm_mon", "lab-all-started.xml"));
        Recorder("crm_resource");
        var (exit, _, stderr) = Cli.Run(TimeSpan.FromSeconds(60), Env, "move", "vip", "node2", "--lifetime", "PT90M", "--cluster", Path.Combine(_dir, "cluster.yaml"));
        Assert.True(exit == 0, stderr);
        // Move-HaResource -Lifetime 01:30:00 sends XmlConvert.ToString of that TimeSpan.
        var module = System.Xml.XmlConvert.ToString(TimeSpan.FromMinutes(90));
        Assert.Equal("PT1H30M", module);
        var argv = File.ReadAllLines(Path.Combine(_dir, "crm_resource.argv"));
        Assert.Contains(argv, l => l.Contains("--move", StringComparison.Ordinal) && l.EndsWith("--lifetime " + module, StringComparison.Ordinal));
    }

    [Fact]
    public void A_property_name_that_matches_nothing_is_an_error_as_in_Get_HaProperty()
    {
        var (exit, stdout, stderr) = Cli.Run(TimeSpan.FromSeconds(60), Env, "property", "no-such-property", "--cluster", Path.Combine(_dir, "cluster.yaml"));
        Assert.Equal(5, exit); // ObjectNotFound's exit code in the shared table (PropertyNotFound in the module)
        Assert.Equal("", stdout);
        Assert.Equal("hatools: error: no property 'no-such-property' is set in cluster 'c'", stderr.Trim());
    }

    [Fact]
    public void Exec_what_if_runs_nothing_and_says_what_it_would_run_where()
    {
        var marker = Path.Combine(_dir, "ran");
        var (exit, stdout, stderr) = Cli.Run(TimeSpan.FromSeconds(60), "exec", "--cluster", Path.Combine(_dir, "cluster.yaml"), "--all", "--what-if", "--", "touch", marker);
        Assert.True(exit == 0, stderr);
        Assert.Equal($"What if: run touch {marker} on \"a\"", stdout.Trim());
        Assert.False(File.Exists(marker));
        var (exit2, _, stderr2) = Cli.Run(TimeSpan.FromSeconds(60), "exec", "--cluster", Path.Combine(_dir, "cluster.yaml"), "--all", "--", "touch", marker);
        Assert.True(exit2 == 0, stderr2);
        Assert.True(File.Exists(marker)); // the same line without --what-if does run: the test above would have seen it
    }
}
