using System;
using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Spec;

namespace HaTools.Core.Model;

/// <summary>Base of every error HaTools raises on purpose.</summary>
public class HaException : Exception
{
    public HaException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>What failed (a node name, a resource name, a file); the module uses it as TargetObject.</summary>
    public string? Target { get; set; }
}

/// <summary>One problem found in a cluster file.</summary>
public sealed class SpecProblem
{
    public SpecProblem(SourcePosition position, string field, string message, Severity severity = Severity.Error, string code = "")
    {
        Position = position;
        Field = field;
        Message = message;
        Severity = severity;
        Code = code;
    }

    public SourcePosition Position { get; }
    /// <summary>Dotted path to the field, e.g. "nodes[1].address".</summary>
    public string Field { get; }
    public string Message { get; }
    public Severity Severity { get; }
    public string Code { get; }

    public string File => Position.File;
    public int Line => Position.Line;
    public int Column => Position.Column;

    /// <summary>file:line:col: field: message</summary>
    public override string ToString() =>
        Position.Line > 0
            ? $"{Position.File}:{Position.Line}:{Position.Column}: {Field}: {Message}"
            : $"{Position.File}: {Field}: {Message}";
}

/// <summary>The cluster file is invalid. Carries every problem found, not just the first.</summary>
public sealed class SpecException : HaException
{
    public SpecException(IReadOnlyList<SpecProblem> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => p.ToString())))
    {
        Problems = problems;
        Target = problems.Count > 0 ? problems[0].File : null;
    }

    public IReadOnlyList<SpecProblem> Problems { get; }
}

/// <summary>A command on a node failed in a way the operation cannot go on from.</summary>
public sealed class NodeCommandException : HaException
{
    public NodeCommandException(string node, string command, CommandResult result, string? what = null)
        : base(Describe(node, command, result, what))
    {
        Node = node;
        Command = command;
        ExitCode = result.ExitCode;
        StdErrTail = Tail(result.StdErr);
        Failure = result.Failure;
        FailureUntyped = result.FailureUntyped;
        Target = node;
    }

    public string Node { get; }
    public string Command { get; }
    public int ExitCode { get; }
    public string StdErrTail { get; }
    /// <summary>Why the command could not run or finish (from the runner); None when it ran and failed by itself.</summary>
    public FailureKind Failure { get; }
    public bool TimedOut => Failure == FailureKind.TimedOut;
    public bool Unreachable => Failure != FailureKind.None && Failure != FailureKind.TimedOut && Failure != FailureKind.ConnectionLost;
    internal bool FailureUntyped { get; }

    private static string Tail(string s)
    {
        s = s.TrimEnd();
        return s.Length <= 600 ? s : "…" + s.Substring(s.Length - 600);
    }

    private static string Describe(string node, string command, CommandResult r, string? what)
    {
        var head = what ?? $"'{command}'";
        if (r.TimedOut) return $"{node}: {head} timed out after {r.Duration.TotalSeconds:0.#} s";
        if (r.Error != null) return $"{node}: {head}: {r.Error}";
        var tail = Tail(r.StdErr);
        return $"{node}: {head} failed with exit code {r.ExitCode}" + (tail.Length > 0 ? ": " + tail : "");
    }
}

/// <summary>The cluster is not in a state that allows the operation (no quorum, resource unknown …).</summary>
public sealed class ClusterStateException : HaException
{
    public ClusterStateException(string message, string? target = null) : base(message) { Target = target; }
}

/// <summary>The kinds of named objects an operation looks up; each has its ErrorId (&lt;Kind&gt;NotFound).</summary>
public enum ObjectKind
{
    /// <summary>Not said by the thrower: the cmdlet's own object kind is used.</summary>
    Unspecified,
    Node,
    Resource,
    Constraint,
    Property,
}

/// <summary>A named object (node, resource, constraint) does not exist.</summary>
public sealed class NotFoundException : HaException
{
    public NotFoundException(ObjectKind kind, string message, string? target = null) : base(message)
    {
        Kind = kind;
        Target = target;
    }

    /// <summary>For callers that predate <see cref="ObjectKind"/>: the kind is read once, here, off the message's first
    /// word ("node 'x' …"); HaTools' own code always passes the kind.</summary>
    public NotFoundException(string message, string? target = null) : this(KindOf(message), message, target) { }

    public ObjectKind Kind { get; }

    private static ObjectKind KindOf(string message)
    {
        var m = message.TrimStart();
        foreach (var k in new[] { ObjectKind.Node, ObjectKind.Resource, ObjectKind.Constraint, ObjectKind.Property })
            if (m.StartsWith(k.ToString(), StringComparison.OrdinalIgnoreCase)) return k;
        return ObjectKind.Unspecified;
    }
}

/// <summary>A wait (quorum, DC, resource started) ran out of time.</summary>
public sealed class HaTimeoutException : HaException
{
    public HaTimeoutException(string message, string? target = null) : base(message) { Target = target; }
}
