using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using Xunit;

namespace HaTools.Tests.Spec;

/// <summary>tests/corpus/invalid/*.yaml: each file starts with one or more
/// <c># expect: LINE:COL: FIELD: MESSAGE-SUBSTRING</c> lines (LINE:COL may be left out).</summary>
public class InvalidCorpusTests
{
    private static readonly Regex Expect = new Regex(@"^# expect: (?:(\d+):(\d+): )?(.+?): (.+)$");

    public static IEnumerable<object[]> Files() =>
        Directory.GetFiles(SpecTestUtil.InvalidCorpus, "*.yaml").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Fact]
    public void Corpus_has_at_least_60_files() => Assert.True(Files().Count() >= 60, $"only {Files().Count()} files");

    [Theory]
    [MemberData(nameof(Files))]
    public void Invalid_file_is_refused_with_the_expected_problems(string name)
    {
        var path = Path.Combine(SpecTestUtil.InvalidCorpus, name);
        var expectations = File.ReadLines(path).TakeWhile(l => l.StartsWith("# expect:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(expectations);

        var ex = Record.Exception(() => SpecLoader.Load(path));
        var spec = Assert.IsType<SpecException>(ex);
        Assert.NotEmpty(spec.Problems);
        Assert.All(spec.Problems, p => Assert.Equal(path, p.File));
        var shown = string.Join("\n", spec.Problems);

        foreach (var line in expectations)
        {
            var m = Expect.Match(line);
            Assert.True(m.Success, $"bad expect line in {name}: {line}");
            var field = m.Groups[3].Value;
            var text = m.Groups[4].Value;
            var found = spec.Problems.Any(p =>
                p.Severity == Severity.Error &&
                p.Field == field &&
                p.Message.Contains(text, StringComparison.Ordinal) &&
                (!m.Groups[1].Success || (p.Line == int.Parse(m.Groups[1].Value) && p.Column == int.Parse(m.Groups[2].Value))));
            Assert.True(found, $"{name}: expected '{line}'\nactual:\n{shown}");
        }
    }
}
