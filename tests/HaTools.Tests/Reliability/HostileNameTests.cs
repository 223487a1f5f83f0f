using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Core.Spec;
using HaTools.Core.Transport;
using HaTools.Tests.Pacemaker;
using Xunit;

namespace HaTools.Tests.Reliability;

/// <summary>Names are the strings validation must refuse (they become argv elements, CIB ids and file names on the
/// nodes): every entry point that takes one refuses a hostile one before a single command is sent.
/// Values (parameters, meta, exec arguments, file content) are accepted and arrive verbatim: see the lab's
/// HostileValuesLabTests.</summary>
public class HostileNameTests
{
    public static readonly string[] Bad =
    {
        "$(touch /tmp/pwned)", "`touch /tmp/pwned`", "vip;touch /tmp/pwned", "vip\ntouch /tmp/pwned", "vip\n", "vip&", "a|b", "-rf", "--force",
        "vip name", "../etc", "a'b", "a\"b", "", "x" + new string('y', 63), "ünï", "vip\0", "*",
    };

    public static IEnumerable<object[]> BadNames() => Bad.Select(b => new object[] { b });

    private static ClusterContext Ctx(FakeRunner f) => new ClusterContext(SpecBuilder.Lab(), f);

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task Every_operation_refuses_a_hostile_name_and_sends_nothing(string bad)
    {
        var fake = new FakeRunner();
        var p = new PacemakerStack();
        var h = NullOperationHost.Instance;
        var o = new ActionOptions { Force = true };
        var calls = new List<Func<Task>>
        {
            () => p.StartResourceAsync(Ctx(fake), bad, o, h, default),
            () => p.StopResourceAsync(Ctx(fake), bad, o, h, default),
            () => p.RestartResourceAsync(Ctx(fake), bad, o, h, default),
            () => p.MoveResourceAsync(Ctx(fake), bad, "node1", new MoveOptions { Force = true }, h, default),
            () => p.MoveResourceAsync(Ctx(fake), "vip", bad, new MoveOptions { Force = true }, h, default),
            () => p.ClearResourceAsync(Ctx(fake), bad, null, o, h, default),
            () => p.ClearResourceAsync(Ctx(fake), "vip", bad, o, h, default),
            () => p.SetNodeStandbyAsync(Ctx(fake), bad, true, o, h, default),
            () => p.RemoveResourceAsync(Ctx(fake), bad, o, h, default),
            () => p.RemoveConstraintAsync(Ctx(fake), bad, h, default),
            () => p.NewResourceAsync(Ctx(fake), SpecBuilder.Primitive(bad, "ocf:heartbeat:Dummy"), o, h, default),
            () => p.SetPropertyAsync(Ctx(fake), bad, "x", h, default),
            () => p.StopClusterAsync(Ctx(fake), new[] { bad }, h, default),
            () => Task.FromResult(Ctx(fake).Node(bad)),
            () => Task.FromResult(new NodeTarget(bad, "192.0.2.1")),
            () => Task.FromResult(PacemakerCommands.Start(bad)),
            () => Task.FromResult(PacemakerCommands.SetStandby(bad, true)),
            () => Task.FromResult(PacemakerCommands.SetProperty(bad, "v")),
        };
        for (var i = 0; i < calls.Count; i++)
        {
            var e = await Record.ExceptionAsync(calls[i]);
            Assert.True(e is HaException, $"entry {i} with '{Names.Printable(bad)}': {e?.GetType().Name ?? "no exception"} {e?.Message}");
            Assert.DoesNotContain("   at ", e!.Message);
            Assert.DoesNotContain('\n', e.Message.Replace(Environment.NewLine, " ", StringComparison.Ordinal));
        }
        Assert.Empty(fake.Calls);
    }

    [Theory]
    [InlineData("/etc/x\ny")]
    [InlineData("relative/path")]
    [InlineData("/etc/../root/.ssh/authorized_keys")]
    [InlineData("/etc/dir/")]
    [InlineData("/etc/./x")]
    public async Task A_hostile_push_destination_is_refused_and_sends_nothing(string dest)
    {
        var fake = new FakeRunner();
        var e = await Record.ExceptionAsync(async () =>
            await new FilePusher(fake).PushAsync(Ctx(fake).Nodes, new FileSpec(dest, new byte[] { 1 })));
        Assert.IsType<HaException>(e);
        Assert.Empty(fake.Calls);
    }

    [Theory]
    [InlineData("0644; rm -rf /")]
    [InlineData("u+s")]
    [InlineData("4755")]
    public void A_hostile_mode_or_owner_is_refused(string mode)
    {
        Assert.Throws<HaException>(() => new FileSpec("/etc/x", new byte[] { 1 }, mode));
        Assert.Throws<HaException>(() => new FileSpec("/etc/x", new byte[] { 1 }) { Owner = "root;id" });
        Assert.Throws<HaException>(() => new FileSpec("/etc/x", new byte[] { 1 }) { Owner = "$(id)" });
    }

    [Fact]
    public async Task Hostile_values_are_sent_verbatim_as_single_argv_elements_or_on_stdin()
    {
        // Values are not names: they are accepted and must arrive exactly as given.
        var v = "$(touch /tmp/pwned);`id`\n'\"";
        var fake = new FakeRunner { Fallback = (n, r) => new CommandResult { Node = n.Name } };
        var results = await Fanout.RunCommandAsync(fake, Ctx(fake).Nodes, new CommandRequest(new[] { "printf", "%s", v }));
        Assert.All(fake.Calls, c => Assert.Equal(new[] { "printf", "%s", v }, c.Request.Argv));
        // Property values may hold anything but control characters (refused before any call).
        var pv = "$(touch /tmp/pwned);`id` '\"";
        await new PacemakerStack().SetPropertyAsync(Ctx(fake), "cluster-name", pv, NullOperationHost.Instance, default);
        Assert.Contains(fake.Calls, c => c.Request.Argv.Contains(pv));
        var before = fake.Calls.Count;
        await Assert.ThrowsAsync<HaException>(() => new PacemakerStack().SetPropertyAsync(Ctx(fake), "cluster-name", v, NullOperationHost.Instance, default));
        Assert.Equal(before, fake.Calls.Count);
        // The one place argv becomes a shell line: every element is quoted once, and the shell gives it back unchanged.
        var line = SshCommandRunner.RemoteCommandLine(new CommandRequest(new[] { "printf", "%s", v }));
        Assert.EndsWith(ShellQuote.Quote(v), line, StringComparison.Ordinal);
    }
}
