using System;
using System.Linq;
using HaTools.Core.Spec.Yaml;
using HaTools.Core.Stacks;

namespace HaTools.Core.Spec.Reading;

/// <summary>One top-level section of cluster.yaml and its reader. Common sections are listed here; each stack lists its
/// own in its <see cref="Stacks.StackRegistration"/>.</summary>
internal sealed class SpecSection
{
    public SpecSection(string key, Action<ReadContext, MapReader, ClusterSpec> read) { Key = key; Read = read; }

    public string Key { get; }
    public Action<ReadContext, MapReader, ClusterSpec> Read { get; }
}

/// <summary>Top level of cluster.yaml: the sections every stack shares, then the sections of the chosen stack
/// (from the stack registry), then the checks across them.</summary>
internal static class ClusterReader
{
    private static readonly SpecSection[] CommonSections =
    {
        new SpecSection("name", (c, t, s) => s.Name = t.Name("name", "cluster name", required: true, max: SpecRules.ClusterNameMax) ?? ""),
        new SpecSection("stack", (c, t, s) => { }), // read first: it decides which other sections are allowed
        new SpecSection("ssh", (c, t, s) => CommonReaders.Ssh(c, t.Get("ssh"), t.Field("ssh"), s.Ssh)),
        new SpecSection("nodes", CommonReaders.Nodes),
        new SpecSection("storage", CommonReaders.Storage),
    };

    public static ClusterSpec? Read(YNode root, ReadContext ctx, StackRegistry? stacks = null)
    {
        stacks ??= StackRegistry.Builtin;
        var spec = new ClusterSpec();
        if (root is not YMap)
        {
            ctx.Error(root, YamlTreeBuilder.FileField, SpecCodes.WrongType, "a cluster file is a mapping of sections (name:, nodes:, …) at the top level, found " + ReadContext.Describe(root));
            return null;
        }
        var top = ctx.Map(root, "", spec)!;

        spec.Stack = StackOf(top.Enum("stack", SpecRules.Stacks));
        var stackName = spec.StackName;
        // A stack the file may name but this build does not implement has no sections yet: its file is read for the
        // common part, and using it is refused later (StackNotSupported), not here.
        stacks.TryGet(stackName, out var registration);
        var sections = CommonSections.Concat(registration?.Sections ?? Array.Empty<SpecSection>()).ToArray();
        top.OnlyKeys(sections.Select(s => s.Key).ToArray(), key =>
        {
            var owner = stacks.All.FirstOrDefault(r => r.Sections.Any(s => s.Key == key));
            if (owner == null) return false;
            ctx.Error(top.KeyNode(key)!, key, SpecCodes.StackOnly, $"'{key}' is only valid with stack: {owner.Name} (this file has stack: {stackName})");
            return true;
        });

        foreach (var section in sections)
            section.Read(ctx, top, spec);

        SpecChecks.Run(spec, ctx, registration?.Checks);
        return spec;
    }

    private static StackKind StackOf(string? s) => s switch
    {
        "consul" => StackKind.Consul,
        "hast" => StackKind.Hast,
        _ => StackKind.Pacemaker,
    };
}
