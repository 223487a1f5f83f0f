using System;
using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec.Reading;

namespace HaTools.Core.Stacks;

/// <summary>Everything HaTools knows about one stack: how to make it, which top-level sections of the cluster file it
/// reads (and checks across them), and how to read a saved status file offline (-FromFile / --from).</summary>
public sealed class StackRegistration
{
    public StackRegistration(string name, Func<IClusterStack> create)
    {
        Name = name;
        Create = create;
    }

    /// <summary>As written in the cluster file: <c>stack: NAME</c>.</summary>
    public string Name { get; }
    public Func<IClusterStack> Create { get; }

    /// <summary>Reads a saved status document (for Pacemaker, <c>crm_mon --output-as=xml</c>) without any node; null when
    /// the stack has no offline format.</summary>
    public Func<string, ClusterStatus>? ReadStatusText { get; init; }

    /// <summary>What <see cref="ReadStatusText"/> reads, for messages ("crm_mon XML").</summary>
    public string StatusTextFormat { get; init; } = "";

    /// <summary>The lab profile its lab tests need (tests/lab/profiles/NAME.sh: the stack's private folders and daemons in
    /// a lab node; <c>HATOOLS_LAB_PROFILES</c> picks them at <c>lab.sh up</c>).</summary>
    public string LabProfile { get; init; } = "";

    /// <summary>The top-level sections of the cluster file this stack owns, each with its reader; unknown keys stay errors.</summary>
    internal IReadOnlyList<SpecSection> Sections { get; init; } = Array.Empty<SpecSection>();

    /// <summary>Checks across the stack's sections once everything is read (references, quorum rules).</summary>
    internal Action<Spec.ClusterSpec, ReadContext>? Checks { get; init; }

    /// <summary>Writes the stack's sections (SpecWriter, after the common ones and before storage); null when it has none.</summary>
    internal Action<Spec.ClusterSpec, System.Text.StringBuilder>? WriteSections { get; init; }
}

/// <summary>
/// Stack name → <see cref="StackRegistration"/>. Replaces the switch over stacks: a new stack adds one registration in
/// <see cref="Builtin"/>. Immutable: tests make their own registry with <see cref="With"/> (a stack that lacks
/// capabilities, say) and hand it to the <see cref="ClusterContext"/>; nothing global changes.
/// </summary>
public sealed class StackRegistry
{
    private readonly IReadOnlyDictionary<string, StackRegistration> _stacks;

    private StackRegistry(IReadOnlyDictionary<string, StackRegistration> stacks) { _stacks = stacks; }

    /// <summary>The stacks this build of HaTools implements.</summary>
    public static StackRegistry Builtin { get; } = new StackRegistry(new Dictionary<string, StackRegistration>(StringComparer.Ordinal)
    {
        [Pacemaker.PacemakerStack.StackName] = Pacemaker.PacemakerStack.Registration,
        [Hare.ConsulStack.StackName] = Hare.ConsulStack.Registration,
        [Hast.HastStack.StackName] = Hast.HastStack.Registration,
    });

    public IEnumerable<StackRegistration> All => _stacks.Values.OrderBy(s => s.Name, StringComparer.Ordinal);

    /// <summary>A registry with one more (or one replaced) stack.</summary>
    public StackRegistry With(StackRegistration registration)
    {
        var copy = _stacks.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        copy[registration.Name] = registration;
        return new StackRegistry(copy);
    }

    public bool TryGet(string name, out StackRegistration registration) => _stacks.TryGetValue(name, out registration!);

    /// <summary>The registration of <paramref name="name"/>; a stack the file may name but this build does not implement
    /// is refused as not supported (ErrorId StackNotSupported).</summary>
    public StackRegistration Get(string name) =>
        TryGet(name, out var r) ? r : throw new NotSupportedException($"stack '{Transport.Names.Printable(name)}' is not implemented yet");

    /// <summary>Read a saved status document of stack <paramref name="name"/>.</summary>
    public ClusterStatus ReadStatusText(string name, string text)
    {
        var r = Get(name);
        if (r.ReadStatusText == null) throw new NotSupportedException($"stack '{name}' has no offline status format");
        return r.ReadStatusText(text);
    }

    /// <summary>Read a saved status document of the stack <paramref name="name"/> names, or, when it is null, of the one
    /// stack whose reader takes it (each reader refuses the others' formats): crm_mon XML, hctl status, hastctl …
    /// Neither or several readers taking it is an error that says to name the stack.</summary>
    public ClusterStatus ReadStatusText(string? name, string text, string what)
    {
        if (name != null) return ReadStatusText(name, text);
        var read = new List<(string Stack, ClusterStatus Status)>();
        foreach (var r in All.Where(r => r.ReadStatusText != null))
        {
            try { read.Add((r.Name, r.ReadStatusText!(text))); }
            catch (Exception e) when (e is HaException || e is FormatException || e is System.Xml.XmlException) { }
        }
        if (read.Count == 1) return read[0].Status;
        var formats = string.Join(", ", All.Where(r => r.ReadStatusText != null).Select(r => $"{r.StatusTextFormat} (stack {r.Name})"));
        throw new HaException(read.Count == 0
            ? $"{what} is in none of the formats HaTools reads: {formats}"
            : $"{what} reads as the status of several stacks ({string.Join(", ", read.Select(x => x.Stack))}): name the stack (-Stack, --stack)") { Target = what };
    }
}
