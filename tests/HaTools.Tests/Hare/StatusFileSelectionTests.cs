using System;
using System.IO;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Stacks;
using Xunit;

namespace HaTools.Tests.Hare;

/// <summary>Get-HaStatus -FromFile / hatools status --from without -Stack: the saved file is read by the one stack
/// whose reader takes it, each stack's real captures picking their own.</summary>
public class StatusFileSelectionTests
{
    private static string Fixture(string folder, string name) => File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "fixtures", folder, name));

    [Theory]
    [InlineData("crm_mon", "lab-all-started.xml", "pacemaker")]
    [InlineData("crm_mon", "lab-no-quorum.xml", "pacemaker")]
    [InlineData("hare", "hctl-status.json", "consul")]
    [InlineData("hast", "hastctl-status-primary-complete.foozone.txt", "hast")]
    [InlineData("hast", "hastctl-list-secondary-complete.foozone.txt", "hast")]
    public void Each_stacks_capture_is_read_by_that_stack_alone(string folder, string name, string stack)
    {
        var s = StackRegistry.Builtin.ReadStatusText(null, Fixture(folder, name), name);
        Assert.Equal(stack, s.Stack);
    }

    [Fact]
    public void Hctl_status_text_without_its_notes_is_consuls_and_naming_the_stack_skips_the_guess()
    {
        var block = Fixture("hare", "hctl-status.txt").Split("# ---", StringSplitOptions.RemoveEmptyEntries)[0];
        var text = string.Join("\n", block.Split('\n').Skip(1).Where(l => !l.StartsWith("$ ", StringComparison.Ordinal)));
        Assert.Equal("consul", StackRegistry.Builtin.ReadStatusText(null, text, "f").Stack);
        Assert.Equal("localhost", StackRegistry.Builtin.ReadStatusText("consul", text, "f").Dc);
    }

    [Fact]
    public void A_file_no_stack_reads_is_refused_naming_every_format()
    {
        var e = Assert.Throws<HaException>(() => StackRegistry.Builtin.ReadStatusText(null, "hello\n", "status.txt"));
        Assert.Equal("status.txt", e.Target);
        Assert.Contains("crm_mon XML", e.Message);
        Assert.Contains("hctl status (text or --json) (stack consul)", e.Message);
        Assert.Contains("stack hast", e.Message);
    }
}
