using System;
using System.IO;
using System.Linq;
using HaTools.Tests.Spec;
using Xunit;

namespace HaTools.Tests.Reliability;

/// <summary>`hatools validate FILE` as an operator runs it: the built hatools.dll in its own process.</summary>
public class CliValidateTests
{
    [Fact]
    public void A_valid_file_exits_0_and_says_valid()
    {
        var file = Path.Combine(SpecTestUtil.Examples, "lab.yaml");
        var (exit, stdout, stderr) = Cli.Run(TimeSpan.FromSeconds(60), "validate", file);
        Assert.True(exit == 0, stderr);
        Assert.Equal($"{file}: valid (3 nodes, 2 resources)", stdout.Trim());
        Assert.Equal("", stderr.Trim());
    }

    [Fact]
    public void An_invalid_file_exits_1_and_prints_every_problem_as_file_line_col_field_message()
    {
        // 111 holds several problems: all of them come out at once, one per line, on stderr.
        var file = Path.Combine(SpecTestUtil.InvalidCorpus, "111-many-problems-at-once.yaml");
        var expected = File.ReadLines(file).TakeWhile(l => l.StartsWith("# expect: ", StringComparison.Ordinal))
            .Select(l => l.Substring("# expect: ".Length)).ToList();
        Assert.True(expected.Count >= 3);
        var (exit, stdout, stderr) = Cli.Run(TimeSpan.FromSeconds(60), "validate", file);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= expected.Count, stderr);
        foreach (var e in expected)
        {
            var m = System.Text.RegularExpressions.Regex.Match(e, @"^(\d+:\d+: [^:]+): (.+)$");
            Assert.Contains(lines, l => l.StartsWith($"{file}:{m.Groups[1].Value}: ", StringComparison.Ordinal) && l.Contains(m.Groups[2].Value, StringComparison.Ordinal));
        }
        Assert.All(lines, l => Assert.Matches(@"^.+:\d+:\d+: [^:]+: .+$|^.+: \(file\): .+$", l));
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void A_hostile_node_name_file_exits_1_with_the_expected_line()
    {
        var file = Path.Combine(SpecTestUtil.InvalidCorpus, "054-name-command-substitution.yaml");
        // "# expect: 4:11: nodes[0].name: the shell metacharacter '$' is not allowed" (the message is a substring)
        var m = System.Text.RegularExpressions.Regex.Match(File.ReadLines(file).First(), @"^# expect: (\d+:\d+: [^:]+): (.+)$");
        var (exit, _, stderr) = Cli.Run(TimeSpan.FromSeconds(60), "validate", file);
        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"{file}:{m.Groups[1].Value}: ", line);
        Assert.Contains(m.Groups[2].Value, line);
    }

    [Fact]
    public void A_missing_file_exits_1_with_one_line_and_no_stack_trace()
    {
        var file = Path.Combine(Path.GetTempPath(), "hatools-no-such-" + Guid.NewGuid().ToString("N"), "cluster.yaml");
        var (exit, _, stderr) = Cli.Run(TimeSpan.FromSeconds(60), "validate", file);
        Assert.Equal(1, exit);
        Assert.StartsWith(file + ": (file): file not found", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
