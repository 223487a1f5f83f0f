using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Spec.Yaml;

namespace HaTools.Core.Spec.Reading;

/// <summary>Top level of cluster.yaml: the sections every stack shares, then the sections of the chosen stack.
/// A later stack adds its sections to <see cref="StackSections"/> and a reader in its own file.</summary>
internal static class ClusterReader
{
    private delegate void SectionReader(ReadContext ctx, MapReader top, ClusterSpec spec);

    private static readonly (string Key, SectionReader Read)[] CommonSections =
    {
        ("name", (c, t, s) => s.Name = t.Name("name", "cluster name", required: true, max: SpecRules.ClusterNameMax) ?? ""),
        ("stack", (c, t, s) => { }), // read first: it decides which other sections are allowed
        ("ssh", (c, t, s) => CommonReaders.Ssh(c, t.Get("ssh"), t.Field("ssh"), s.Ssh)),
        ("nodes", CommonReaders.Nodes),
        ("storage", CommonReaders.Storage),
    };

    private static readonly (string Key, SectionReader Read)[] PacemakerSections =
    {
        ("corosync", PacemakerReaders.Corosync),
        ("quorum", PacemakerReaders.Quorum),
        ("properties", PacemakerReaders.Properties),
        ("rsc_defaults", PacemakerReaders.RscDefaults),
        ("op_defaults", PacemakerReaders.OpDefaults),
        ("resources", PacemakerReaders.Resources),
        ("groups", PacemakerReaders.Groups),
        ("clones", PacemakerReaders.Clones),
        ("constraints", PacemakerReaders.Constraints),
    };

    private static readonly Dictionary<StackKind, (string Key, SectionReader Read)[]> StackSections = new Dictionary<StackKind, (string, SectionReader)[]>
    {
        [StackKind.Pacemaker] = PacemakerSections,
        [StackKind.Consul] = new (string, SectionReader)[0],
        [StackKind.Hast] = new (string, SectionReader)[0],
    };

    /// <summary>Every section name a stack owns, for "only valid with stack: X".</summary>
    private static readonly (StackKind Stack, string Key)[] Owners =
        StackSections.SelectMany(kv => kv.Value.Select(s => (kv.Key, s.Key))).ToArray();

    public static ClusterSpec? Read(YNode root, ReadContext ctx)
    {
        var spec = new ClusterSpec();
        if (root is not YMap)
        {
            ctx.Error(root, YamlTreeBuilder.FileField, SpecCodes.WrongType, "a cluster file is a mapping of sections (name:, nodes:, …) at the top level, found " + ReadContext.Describe(root));
            return null;
        }
        var top = ctx.Map(root, "", spec)!;

        spec.Stack = StackOf(top.Enum("stack", SpecRules.Stacks));
        var sections = CommonSections.Concat(StackSections[spec.Stack]).ToArray();
        top.OnlyKeys(sections.Select(s => s.Key).ToArray(), key =>
        {
            var owner = Owners.Where(o => o.Key == key).Select(o => (StackKind?)o.Stack).FirstOrDefault();
            if (owner == null) return false;
            var stackName = owner.Value.ToString().ToLowerInvariant();
            ctx.Error(top.KeyNode(key)!, key, SpecCodes.StackOnly, $"'{key}' is only valid with stack: {stackName} (this file has stack: {spec.Stack.ToString().ToLowerInvariant()})");
            return true;
        });

        foreach (var section in sections)
            section.Read(ctx, top, spec);

        SpecChecks.Run(spec, ctx);
        return spec;
    }

    private static StackKind StackOf(string? s) => s switch
    {
        "consul" => StackKind.Consul,
        "hast" => StackKind.Hast,
        _ => StackKind.Pacemaker,
    };
}
