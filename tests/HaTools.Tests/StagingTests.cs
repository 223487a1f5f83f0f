using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using HaTools.HelpGen;
using Xunit;

namespace HaTools.Tests;

/// <summary>Runs the real staging step (as `dotnet run --project build/HelpGen -- stage` does) into a temp folder.</summary>
public sealed class StagingTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "hatools-stage-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }

    private string Stage() => new Stager(RepoPaths.Root, RepoPaths.Configuration).Stage(_out);

    [Fact]
    public void Staged_module_holds_exactly_the_allow_list()
    {
        var folder = Stage();
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).OrderBy(f => f, StringComparer.Ordinal);
        Assert.Equal(Stager.AllowList.OrderBy(f => f, StringComparer.Ordinal), files);
    }

    [Fact]
    public void Staged_manifest_is_stamped_with_VersionPrefix()
    {
        var folder = Stage();
        var props = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props"));
        var version = props.Descendants("VersionPrefix").Single().Value;
        Assert.Equal(version, Path.GetFileName(folder));
        Assert.Matches($@"ModuleVersion\s*=\s*'{Regex.Escape(version)}'", File.ReadAllText(Path.Combine(folder, "HaTools.psd1")));
    }

    [Fact]
    public void Staged_help_has_every_cmdlet_with_synopsis_syntax_examples_outputs()
    {
        var folder = Stage();
        var maml = XDocument.Load(Path.Combine(folder, "en-US", "HaTools.dll-Help.xml"));
        XNamespace c = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        XNamespace m = "http://schemas.microsoft.com/maml/2004/10";
        var commands = maml.Root!.Elements(c + "command").ToList();
        var cmdlets = CmdletReflector.Read(RepoPaths.ModuleDll);
        Assert.Equal(cmdlets.Select(x => x.Name).OrderBy(n => n), commands.Select(x => x.Element(c + "details")!.Element(c + "name")!.Value).OrderBy(n => n));
        foreach (var command in commands)
        {
            Assert.False(string.IsNullOrWhiteSpace(command.Element(c + "details")!.Element(m + "description")!.Value));
            Assert.NotEmpty(command.Element(c + "syntax")!.Elements(c + "syntaxItem"));
            Assert.NotEmpty(command.Element(c + "examples")!.Elements(c + "example"));
            Assert.NotEmpty(command.Element(c + "returnValues")!.Elements(c + "returnValue"));
        }
    }

    [Fact]
    public void Verify_rejects_a_missing_or_extra_file()
    {
        var folder = Stage();
        File.WriteAllText(Path.Combine(folder, "HaTools.pdb"), "");
        Assert.Contains("unexpected [HaTools.pdb]", Assert.Throws<StageException>(() => Stager.Verify(folder)).Message);
        File.Delete(Path.Combine(folder, "HaTools.pdb"));
        File.Delete(Path.Combine(folder, "dependencies", "YamlDotNet.dll"));
        Assert.Contains("missing [dependencies/YamlDotNet.dll]", Assert.Throws<StageException>(() => Stager.Verify(folder)).Message);
    }

    [Fact]
    public void Manifest_check_names_the_difference()
    {
        var cmdlets = CmdletReflector.Read(RepoPaths.ModuleDll);
        var manifest = File.ReadAllText(RepoPaths.Manifest).Replace("'Get-HaStatus'", "'Get-HaStatuz'");
        var e = Assert.Throws<StageException>(() => Stager.CheckManifest(manifest, cmdlets));
        Assert.Contains("Get-HaStatus", e.Message);
        Assert.Contains("Get-HaStatuz", e.Message);
    }
}
