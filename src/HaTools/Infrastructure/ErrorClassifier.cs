using System;
using System.Collections.Generic;
using System.IO;
using HaTools.Core.Model;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>How one failure is reported: a stable ErrorId (<c>&lt;Noun&gt;&lt;Failure&gt;</c>), the name of a
/// System.Management.Automation.ErrorCategory member, and whether it stops the command (bad input) or not.</summary>
internal sealed class ErrorClass
{
    public ErrorClass(string errorId, string category, bool terminating = false)
    {
        ErrorId = errorId;
        Category = category;
        Terminating = terminating;
    }

    public string ErrorId { get; }
    public string Category { get; }
    public bool Terminating { get; }

    public override string ToString() => $"{ErrorId} ({Category})";
}

/// <summary>
/// The one decision table from Core failures to PowerShell errors. Pure: no PowerShell types, so the unit tests
/// (net10, no PowerShell) compile this file and check every row. <see cref="ErrorMapper"/> only builds the ErrorRecord.
/// </summary>
internal static class ErrorClassifier
{
    /// <summary>Every category name this table can return (the tests check each is an ErrorCategory member).</summary>
    public static readonly IReadOnlyList<string> Categories = new[]
    {
        "InvalidArgument", "SecurityError", "OperationTimeout", "ConnectionError", "ObjectNotFound",
        "InvalidOperation", "NotImplemented", "NotSpecified", "OperationStopped", "ReadError", "WriteError",
        "PermissionDenied", "ResourceExists", "InvalidResult", "ResourceBusy",
    };

    // Fixed module-side ids (not from Core exceptions).
    public static readonly ErrorClass ClusterFileNotFound = new ErrorClass("ClusterFileNotFound", "ObjectNotFound", terminating: true);
    public static readonly ErrorClass ClusterTargetAmbiguous = new ErrorClass("ClusterTargetAmbiguous", "InvalidArgument", terminating: true);
    public static readonly ErrorClass ClusterFileExists = new ErrorClass("ClusterFileExists", "ResourceExists", terminating: true);
    public static readonly ErrorClass ClusterCheckFailed = new ErrorClass("ClusterCheckFailed", "InvalidResult");
    public static readonly ErrorClass SourceFileNotFound = new ErrorClass("SourceFileNotFound", "ObjectNotFound", terminating: true);
    public static readonly ErrorClass StatusFileNotFound = new ErrorClass("StatusFileNotFound", "ObjectNotFound", terminating: true);
    public static readonly ErrorClass ArgumentInvalid = new ErrorClass("ArgumentInvalid", "InvalidArgument", terminating: true);
    public static readonly ErrorClass ClusterFileProblems = new ErrorClass("ClusterFileInvalid", "InvalidArgument");
    public static readonly ErrorClass NodeNotFound = new ErrorClass("NodeNotFound", "ObjectNotFound");
    public static readonly ErrorClass ResourceNotFound = new ErrorClass("ResourceNotFound", "ObjectNotFound");
    public static readonly ErrorClass PropertyNotFound = new ErrorClass("PropertyNotFound", "ObjectNotFound");
    public static readonly ErrorClass ConstraintNotFound = new ErrorClass("ConstraintNotFound", "ObjectNotFound");
    public static readonly ErrorClass PhaseFailed = new ErrorClass("PhaseFailed", "InvalidOperation");
    public static readonly ErrorClass NodeCommandFailed = new ErrorClass("NodeCommandFailed", "InvalidOperation");
    public static readonly ErrorClass FilePushFailed = new ErrorClass("FilePushFailed", "WriteError");

    public static ErrorClass Classify(Exception exception, string? objectKind = null)
    {
        switch (Unwrap(exception))
        {
            case SpecException _:
                return new ErrorClass("ClusterFileInvalid", "InvalidArgument", terminating: true);
            case HaTools.Core.Stacks.StackCapabilityMissingException _:
                return new ErrorClass("StackCapabilityMissing", "NotImplemented", terminating: true);
            case NodeCommandException n:
                return Ssh(n.TimedOut, n.Unreachable, n.ExitCode, n.StdErrTail + "\n" + n.Message) ?? NodeCommandFailed;
            case HaTimeoutException _:
                return new ErrorClass("WaitTimedOut", "OperationTimeout");
            case NotFoundException nf:
                return new ErrorClass(NotFoundId(nf.Message, objectKind), "ObjectNotFound");
            case Core.Locking.ClusterBusyException _:
                return new ErrorClass("ClusterBusy", "ResourceBusy");
            case ClusterStateException _:
                return new ErrorClass("ClusterStateInvalid", "InvalidOperation");
            case HaException _:
                return new ErrorClass("HaOperationFailed", "InvalidOperation");
            case OperationCanceledException _:
                return new ErrorClass("OperationStopped", "OperationStopped");
            case NotImplementedException _:
                return new ErrorClass("HaNotImplemented", "NotImplemented");
            case NotSupportedException _:
                return new ErrorClass("StackNotSupported", "NotImplemented", terminating: true);
            case FileNotFoundException _:
            case DirectoryNotFoundException _:
                return new ErrorClass("FileNotFound", "ObjectNotFound", terminating: true);
            case UnauthorizedAccessException _:
                return new ErrorClass("FileAccessDenied", "PermissionDenied", terminating: true);
            case IOException _:
                return new ErrorClass("FileAccessFailed", "ReadError", terminating: true);
            case ArgumentException _:
                return new ErrorClass("ArgumentInvalid", "InvalidArgument", terminating: true);
            default:
                return new ErrorClass("HaUnexpectedError", "NotSpecified");
        }
    }

    /// <summary>A command result from Invoke-HaCommand: null when the command ran (whatever its exit code:
    /// a non-zero exit is data, as with native commands); otherwise why it could not run.</summary>
    public static ErrorClass? ClassifyResult(CommandResult result)
    {
        if (!result.TimedOut && !result.Unreachable && result.Error == null) return null;
        return Ssh(result.TimedOut, result.Unreachable || result.Error != null, result.ExitCode, result.StdErr + "\n" + result.Error)
            ?? new ErrorClass("NodeUnreachable", "ConnectionError");
    }

    /// <summary>A failed file push (Status Failed): why.</summary>
    public static ErrorClass ClassifyPush(FilePushResult result) =>
        Ssh(false, false, 255, result.Error ?? "") ?? FilePushFailed;

    /// <summary>ssh-level failures. Host-key and authentication text only counts when ssh itself failed
    /// (unreachable or exit 255): a remote program printing "Permission denied" is not an ssh login failure.</summary>
    internal static ErrorClass? Ssh(bool timedOut, bool unreachable, int exitCode, string text)
    {
        if (timedOut) return new ErrorClass("NodeTimedOut", "OperationTimeout");
        var sshLevel = unreachable || exitCode == 255;
        if (sshLevel && IsHostKeyRefusal(text)) return new ErrorClass("NodeHostKeyRefused", "SecurityError");
        if (sshLevel && IsAuthFailure(text)) return new ErrorClass("NodeAuthenticationFailed", "SecurityError");
        if (unreachable) return new ErrorClass("NodeUnreachable", "ConnectionError");
        if (exitCode == 255 && LooksUnreachable(text)) return new ErrorClass("NodeUnreachable", "ConnectionError");
        return null;
    }

    private static bool IsHostKeyRefusal(string text) =>
        text.IndexOf("Host key verification failed", StringComparison.OrdinalIgnoreCase) >= 0
        || text.IndexOf("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.OrdinalIgnoreCase) >= 0
        || (text.IndexOf("host key", StringComparison.OrdinalIgnoreCase) >= 0 && text.IndexOf("is known", StringComparison.OrdinalIgnoreCase) >= 0);

    // ssh's own wording: "Permission denied (publickey,password).", "Permission denied, please try again.",
    // "Too many authentication failures". A bare "Permission denied" is what remote programs print.
    private static bool IsAuthFailure(string text) =>
        text.IndexOf("Permission denied (", StringComparison.OrdinalIgnoreCase) >= 0
        || text.IndexOf("Permission denied, please try again", StringComparison.OrdinalIgnoreCase) >= 0
        || text.IndexOf("Too many authentication failures", StringComparison.OrdinalIgnoreCase) >= 0;

    private static bool LooksUnreachable(string text) =>
        text.IndexOf("Connection refused", StringComparison.OrdinalIgnoreCase) >= 0
        || text.IndexOf("No route to host", StringComparison.OrdinalIgnoreCase) >= 0
        || text.IndexOf("Could not resolve hostname", StringComparison.OrdinalIgnoreCase) >= 0
        || text.IndexOf("Connection timed out", StringComparison.OrdinalIgnoreCase) >= 0
        || text.IndexOf("Network is unreachable", StringComparison.OrdinalIgnoreCase) >= 0;

    private static string NotFoundId(string message, string? objectKind)
    {
        var m = message.TrimStart();
        if (m.StartsWith("node", StringComparison.OrdinalIgnoreCase)) return "NodeNotFound";
        if (m.StartsWith("resource", StringComparison.OrdinalIgnoreCase)) return "ResourceNotFound";
        if (m.StartsWith("constraint", StringComparison.OrdinalIgnoreCase)) return "ConstraintNotFound";
        if (m.StartsWith("property", StringComparison.OrdinalIgnoreCase)) return "PropertyNotFound";
        return (objectKind ?? "Object") + "NotFound";
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException a && a.InnerExceptions.Count == 1) e = a.InnerExceptions[0];
        return e;
    }
}
