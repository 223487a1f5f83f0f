using System.Collections.Generic;
using HaTools.Core.Model;

namespace HaTools.Core.Spec;

/// <summary>Stable problem codes (SpecProblem.Code). Tools and tests may match on them.</summary>
public static class SpecCodes
{
    public const string NoFile = "no-file";
    public const string IsDirectory = "is-directory";
    public const string Unreadable = "unreadable";
    public const string TooLarge = "file-too-large";
    public const string Binary = "binary-file";
    public const string Empty = "empty-file";
    public const string Syntax = "syntax";
    public const string Tab = "tab-indent";
    public const string TooDeep = "too-deep";
    public const string TooManyNodes = "too-many-nodes";
    public const string Alias = "alias";
    public const string Tag = "tag";
    public const string MultipleDocuments = "multiple-documents";
    public const string DuplicateKey = "duplicate-key";
    public const string UnknownKey = "unknown-key";
    public const string WrongType = "wrong-type";
    public const string Missing = "missing-field";
    public const string BadValue = "bad-value";
    public const string OutOfRange = "out-of-range";
    public const string BadName = "bad-name";
    public const string BadScore = "bad-score";
    public const string BadDuration = "bad-duration";
    public const string BadAgent = "bad-agent";
    public const string ControlChar = "control-char";
    public const string StackOnly = "stack-only";
    public const string DuplicateName = "duplicate-name";
    public const string DuplicateAddress = "duplicate-address";
    public const string DuplicateNodeId = "duplicate-nodeid";
    public const string DuplicateId = "duplicate-id";
    public const string Dangling = "dangling-reference";
    public const string SelfReference = "self-reference";
    public const string Conflict = "conflict";
    public const string Quorum = "quorum";
    public const string TooManyProblems = "too-many-problems";
    public const string Internal = "internal-error";
}

/// <summary>Collects problems (bounded: a hostile file cannot make the list grow without limit).</summary>
internal sealed class ProblemList
{
    public const int Max = 200;

    public ProblemList(string file) { File = file; }

    public string File { get; }
    public List<SpecProblem> Items { get; } = new List<SpecProblem>();
    public bool HasErrors { get; private set; }
    public bool Full => Items.Count >= Max;

    public SourcePosition At(int line, int column) => new SourcePosition(File, line, column);

    public void Error(SourcePosition pos, string field, string code, string message) => Add(pos, field, code, message, Severity.Error);

    public void Warn(SourcePosition pos, string field, string code, string message) => Add(pos, field, code, message, Severity.Warning);

    private void Add(SourcePosition pos, string field, string code, string message, Severity severity)
    {
        if (severity == Severity.Error) HasErrors = true;
        if (Items.Count > Max) return;
        if (Items.Count == Max)
        {
            Items.Add(new SpecProblem(new SourcePosition(File, 0, 0), "", $"more than {Max} problems; the rest are not shown", Severity.Error, SpecCodes.TooManyProblems));
            return;
        }
        Items.Add(new SpecProblem(pos, field, message, severity, code));
    }
}
