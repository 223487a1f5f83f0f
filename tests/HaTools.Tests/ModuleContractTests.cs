using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;
using HaTools.HelpGen;
using HaTools.PowerShell.Infrastructure;
using Xunit;

namespace HaTools.Tests;

/// <summary>The module's public contract, checked on the built HaTools.dll without loading PowerShell.</summary>
public class ModuleContractTests
{
    // PowerShell's approved verbs (Get-Verb, PowerShell 7.4), all groups.
    private static readonly HashSet<string> ApprovedVerbs = new(StringComparer.Ordinal)
    {
        // Common
        "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock", "Move", "New", "Open",
        "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize", "Search", "Select", "Set", "Show", "Skip",
        "Split", "Step", "Switch", "Undo", "Unlock", "Watch",
        // Communications
        "Connect", "Disconnect", "Read", "Receive", "Send", "Write",
        // Data
        "Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit", "Expand",
        "Export", "Group", "Import", "Initialize", "Limit", "Merge", "Mount", "Out", "Publish", "Restore", "Save", "Sync",
        "Unpublish", "Update",
        // Diagnostic
        "Debug", "Measure", "Ping", "Repair", "Resolve", "Test", "Trace",
        // Lifecycle
        "Approve", "Assert", "Build", "Complete", "Confirm", "Deny", "Deploy", "Disable", "Enable", "Install", "Invoke",
        "Register", "Request", "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall", "Unregister", "Wait",
        // Security
        "Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect",
        // Other
        "Use",
    };

    /// <summary>Verbs that only read or compute: no ShouldProcess. Every other verb changes something and must support -WhatIf/-Confirm.</summary>
    private static readonly HashSet<string> ReadOnlyVerbs = new(StringComparer.Ordinal)
    {
        "Get", "Test", "Find", "Search", "Show", "Format", "Measure", "Resolve", "Read", "Compare", "ConvertFrom", "ConvertTo",
        "Select", "Trace", "Watch", "Ping", "Debug", "Out", "Receive", "Confirm", "Assert", "Limit", "Group", "Skip", "Step",
    };

    private static readonly HashSet<string> MustConfirmHigh = new(StringComparer.Ordinal)
    {
        "Remove-HaCluster", "Remove-HaResource", "Stop-HaCluster", "Set-HastRole", "Initialize-HastResource",
    };

    /// <summary>Read-only cmdlets that ask several clusters at once (-Path a.yaml, b.yaml); every other cmdlet works on one.</summary>
    private static readonly HashSet<string> SeveralClusters = new(StringComparer.Ordinal) { "Get-HaStatus" };

    private static readonly Lazy<List<CmdletInfo>> LazyCmdlets = new(() => CmdletReflector.Read(RepoPaths.ModuleDll));

    private static List<CmdletInfo> Cmdlets => LazyCmdlets.Value;

    public static IEnumerable<object[]> CmdletNames() => Cmdlets.Select(c => new object[] { c.Name });

    private static CmdletInfo Cmdlet(string name) => Cmdlets.Single(c => c.Name == name);

    private static string CommandsFolder => Path.Combine(RepoPaths.Root, "src", "HaTools", "Commands");

    [Fact]
    public void The_module_has_cmdlets() => Assert.True(Cmdlets.Count >= 20, $"found {Cmdlets.Count} cmdlets in {RepoPaths.ModuleDll}");

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Verb_is_approved_and_noun_is_Ha(string name)
    {
        var c = Cmdlet(name);
        Assert.Contains(c.Verb, ApprovedVerbs);
        Assert.Matches("^Ha(st|re)?[A-Z][A-Za-z]*$", c.Noun);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Class_is_named_VerbNounCommand_in_its_own_file_under_an_area(string name)
    {
        var c = Cmdlet(name);
        Assert.Equal(c.Verb + c.Noun + "Command", c.ClassName);
        var file = Assert.Single(Directory.GetFiles(CommandsFolder, c.ClassName + ".cs", SearchOption.AllDirectories));
        Assert.Equal(2, Path.GetRelativePath(CommandsFolder, file).Split(Path.DirectorySeparatorChar).Length);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_is_thin(string name)
    {
        var file = Directory.GetFiles(CommandsFolder, Cmdlet(name).ClassName + ".cs", SearchOption.AllDirectories).Single();
        var lines = File.ReadAllLines(file).Length;
        Assert.True(lines <= 80, $"{file} has {lines} lines: logic belongs in Core or Infrastructure");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void OutputType_is_declared_and_has_a_view(string name)
    {
        var c = Cmdlet(name);
        Assert.NotEmpty(c.OutputTypes);
        var views = FormatViews();
        foreach (var type in c.OutputTypes)
        {
            // System types (FileInfo …) are formatted by PowerShell's own views.
            if (type.StartsWith("System.", StringComparison.Ordinal)) continue;
            Assert.True(views.Contains(type), $"{name}: output type {type} has no view in HaTools.Format.ps1xml");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void State_changing_cmdlets_support_ShouldProcess(string name)
    {
        var c = Cmdlet(name);
        if (!ReadOnlyVerbs.Contains(c.Verb)) Assert.True(c.SupportsShouldProcess, $"{name} changes state: SupportsShouldProcess = true");
        else Assert.False(c.SupportsShouldProcess, $"{name} only reads: no -WhatIf/-Confirm");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Destructive_cmdlets_have_ConfirmImpact_High(string name)
    {
        var c = Cmdlet(name);
        if (MustConfirmHigh.Contains(name)) Assert.Equal("High", c.ConfirmImpact);
        else Assert.NotEqual("High", c.ConfirmImpact);
    }

    [Fact]
    public void Every_confirm_high_cmdlet_exists() => Assert.Subset(Cmdlets.Select(c => c.Name).ToHashSet(), MustConfirmHigh);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cluster_cmdlets_take_Path_and_Cluster(string name)
    {
        var c = Cmdlet(name);
        var path = c.Parameters.FirstOrDefault(p => p.Name == "Path");
        Assert.NotNull(path);
        Assert.Equal(SeveralClusters.Contains(name) ? "String[]" : "String", path!.Type);
        // New-HaCluster writes a cluster file and ConvertFrom-HareCdf reads a Hare CDF: neither works on a cluster.
        if (name != "New-HaCluster" && name != "ConvertFrom-HareCdf") Assert.Contains(c.Parameters, p => p.Name == "Cluster" && p.Type == "ClusterContext");
        Assert.DoesNotContain(c.Parameters, p => p.Name == "LiteralPath");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Help_markdown_exists_with_synopsis_and_examples(string name)
    {
        var file = Path.Combine(RepoPaths.Docs, name + ".md");
        Assert.True(File.Exists(file), $"missing {file}: run 'dotnet run --project build/HelpGen -- markdown'");
        var text = File.ReadAllText(file);
        var doc = Markdown.Read(text);
        Assert.Equal(name, doc.Name);
        Assert.False(string.IsNullOrWhiteSpace(doc.Synopsis));
        Assert.DoesNotContain(DocUpdater.Fill, text);
        Assert.NotEmpty(doc.Examples);
        Assert.All(doc.Examples, e => Assert.False(string.IsNullOrWhiteSpace(e.Code)));
        Assert.Contains(doc.Examples, e => e.Code.Contains('|'));
        Assert.NotEmpty(doc.Outputs);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Help_markdown_matches_the_compiled_parameters(string name)
    {
        var file = Path.Combine(RepoPaths.Docs, name + ".md");
        var text = File.ReadAllText(file).Replace("\r\n", "\n");
        var regenerated = Markdown.Write(DocUpdater.Update(Cmdlet(name), Markdown.Read(text)));
        Assert.True(regenerated == text, $"{file} is out of date with the cmdlet: run 'dotnet run --project build/HelpGen -- markdown --configuration {RepoPaths.Configuration}'");
    }

    [Fact]
    public void Manifest_exports_exactly_the_cmdlets()
    {
        var manifest = File.ReadAllText(RepoPaths.Manifest);
        Assert.Equal(Cmdlets.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal), Stager.ManifestCmdlets(manifest).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void Manifest_declares_the_module_shape()
    {
        var m = File.ReadAllText(RepoPaths.Manifest);
        Assert.Matches(@"RootModule\s*=\s*'HaTools\.dll'", m);
        Assert.Matches(@"ModuleVersion\s*=\s*'\{\{ModuleVersion\}\}'", m);
        Assert.Matches(@"PowerShellVersion\s*=\s*'5\.1'", m);
        Assert.Matches(@"CompatiblePSEditions\s*=\s*@\('Core',\s*'Desktop'\)", m);
        Assert.Matches(@"FormatsToProcess\s*=\s*@\('HaTools\.Format\.ps1xml'\)", m);
        foreach (var empty in new[] { "FunctionsToExport", "AliasesToExport", "VariablesToExport" })
            Assert.Matches(empty + @"\s*=\s*@\(\)", m);
        foreach (var tag in new[] { "HA", "Pacemaker", "Corosync", "Cluster", "Linux" })
            Assert.Contains($"'{tag}'", m);
        Assert.DoesNotContain("ProjectUri", m);
    }

    [Fact]
    public void Every_view_names_an_existing_type()
    {
        using var context = CmdletReflector.CreateContext(RepoPaths.ModuleBuildOutput);
        var core = context.LoadFromAssemblyPath(Path.Combine(RepoPaths.ModuleBuildOutput, "HaTools.Core.dll"));
        foreach (var type in FormatViews()) Assert.True(core.GetType(type) != null, $"view for unknown type {type}");
    }

    [Fact]
    public void Every_view_is_a_table_with_as_many_items_as_headers()
    {
        var doc = XDocument.Load(RepoPaths.FormatFile);
        Assert.NotEmpty(doc.Descendants("View"));
        foreach (var view in doc.Descendants("View"))
        {
            var table = view.Element("TableControl");
            Assert.NotNull(table);
            Assert.Equal(table!.Descendants("TableColumnHeader").Count(), table.Descendants("TableColumnItem").Count());
        }
    }

    [Fact]
    public void Every_error_category_is_a_PowerShell_ErrorCategory()
    {
        using var context = CmdletReflector.CreateContext(RepoPaths.ModuleBuildOutput);
        var sma = context.LoadFromAssemblyPath(Path.Combine(CmdletReflector.PowerShellReferenceFolder(), "System.Management.Automation.dll"));
        var names = sma.GetType("System.Management.Automation.ErrorCategory")!.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToHashSet();
        Assert.Subset(names, ErrorClassifier.Categories.ToHashSet());
        foreach (var field in typeof(ErrorClassifier).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(ErrorClass)))
            Assert.Contains(((ErrorClass)field.GetValue(null)!).Category, ErrorClassifier.Categories);
    }

    [Fact]
    public void Build_output_holds_only_allowed_assemblies()
    {
        var dlls = Directory.GetFiles(RepoPaths.ModuleBuildOutput, "*.dll").Select(f => Path.GetFileName(f)).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(Stager.Assemblies.Keys.OrderBy(n => n, StringComparer.Ordinal), dlls);
    }

    private static HashSet<string> FormatViews() =>
        XDocument.Load(RepoPaths.FormatFile).Descendants("TypeName").Select(e => e.Value.Trim()).ToHashSet(StringComparer.Ordinal);
}
