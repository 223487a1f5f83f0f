using System;
using System.Collections.Generic;
using System.IO;
using HaTools.Core.Transport;

namespace HaTools.Core.Model;

/// <summary>How one failure is reported: a stable ErrorId (<c>&lt;Noun&gt;&lt;Failure&gt;</c>), the name of a
/// System.Management.Automation.ErrorCategory member, and whether it stops the command (bad input) or not.</summary>
public sealed class ErrorCode
{
    public ErrorCode(string errorId, string category, bool terminating = false)
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
/// The one table from failures to ErrorIds and categories, for both fronts: the module turns a row into an
/// ErrorRecord, the CLI into an exit code and a JSON error. Keyed on exception types, <see cref="FailureKind"/>
/// and <see cref="ObjectKind"/>, never on message text.
/// </summary>
public static class ErrorCodes
{
    /// <summary>Every category name this table can return (each is an ErrorCategory member; a test checks it).</summary>
    public static readonly IReadOnlyList<string> Categories = new[]
    {
        "InvalidArgument", "SecurityError", "OperationTimeout", "ConnectionError", "ObjectNotFound",
        "InvalidOperation", "NotImplemented", "NotSpecified", "OperationStopped", "ReadError", "WriteError",
        "PermissionDenied", "ResourceExists", "InvalidResult", "ResourceBusy",
    };

    // Front-side ids (bad input found before Core is called).
    public static readonly ErrorCode ClusterFileNotFound = new ErrorCode("ClusterFileNotFound", "ObjectNotFound", terminating: true);
    public static readonly ErrorCode ClusterTargetAmbiguous = new ErrorCode("ClusterTargetAmbiguous", "InvalidArgument", terminating: true);
    public static readonly ErrorCode ClusterFileExists = new ErrorCode("ClusterFileExists", "ResourceExists", terminating: true);
    public static readonly ErrorCode ClusterCheckFailed = new ErrorCode("ClusterCheckFailed", "InvalidResult");
    public static readonly ErrorCode SourceFileNotFound = new ErrorCode("SourceFileNotFound", "ObjectNotFound", terminating: true);
    public static readonly ErrorCode StatusFileNotFound = new ErrorCode("StatusFileNotFound", "ObjectNotFound", terminating: true);
    public static readonly ErrorCode ArgumentInvalid = new ErrorCode("ArgumentInvalid", "InvalidArgument", terminating: true);
    public static readonly ErrorCode ClusterFileProblems = new ErrorCode("ClusterFileInvalid", "InvalidArgument");
    public static readonly ErrorCode NodeNotFound = new ErrorCode("NodeNotFound", "ObjectNotFound");
    public static readonly ErrorCode ResourceNotFound = new ErrorCode("ResourceNotFound", "ObjectNotFound");
    public static readonly ErrorCode PropertyNotFound = new ErrorCode("PropertyNotFound", "ObjectNotFound");
    public static readonly ErrorCode ConstraintNotFound = new ErrorCode("ConstraintNotFound", "ObjectNotFound");
    public static readonly ErrorCode PhaseFailed = new ErrorCode("PhaseFailed", "InvalidOperation");
    public static readonly ErrorCode NodeCommandFailed = new ErrorCode("NodeCommandFailed", "InvalidOperation");
    public static readonly ErrorCode FilePushFailed = new ErrorCode("FilePushFailed", "WriteError");
    public static readonly ErrorCode StackCapabilityMissing = new ErrorCode("StackCapabilityMissing", "NotImplemented", terminating: true);
    public static readonly ErrorCode ClusterBusy = new ErrorCode("ClusterBusy", "ResourceBusy");

    // Transport failures, one per kind.
    public static readonly ErrorCode NodeTimedOut = new ErrorCode("NodeTimedOut", "OperationTimeout");
    public static readonly ErrorCode NodeHostKeyRefused = new ErrorCode("NodeHostKeyRefused", "SecurityError");
    public static readonly ErrorCode NodeAuthenticationFailed = new ErrorCode("NodeAuthenticationFailed", "SecurityError");
    public static readonly ErrorCode NodeUnreachable = new ErrorCode("NodeUnreachable", "ConnectionError");

    /// <summary>The row of a transport failure kind; null for None (the command ran).</summary>
    public static ErrorCode? For(FailureKind kind) => kind switch
    {
        FailureKind.None => null,
        FailureKind.TimedOut => NodeTimedOut,
        FailureKind.HostKeyRefused => NodeHostKeyRefused,
        FailureKind.AuthFailed => NodeAuthenticationFailed,
        _ => NodeUnreachable,
    };

    public static ErrorCode Classify(Exception exception, string? objectKind = null)
    {
        switch (Unwrap(exception))
        {
            case SpecException _:
                return new ErrorCode("ClusterFileInvalid", "InvalidArgument", terminating: true);
            case NodeCommandException n:
                // A lost connection may be the command's own exit 255: it stays a failed command, as it always was.
                return n.Failure == FailureKind.ConnectionLost ? NodeCommandFailed
                    : For(n.FailureUntyped || n.Failure == FailureKind.None ? OpenSshFailures.Untyped(n.Unreachable, n.ExitCode, n.StdErrTail + "\n" + n.Message) : n.Failure) ?? NodeCommandFailed;
            case HaTimeoutException _:
                return new ErrorCode("WaitTimedOut", "OperationTimeout");
            case NotFoundException nf:
                return new ErrorCode((nf.Kind == ObjectKind.Unspecified ? objectKind ?? "Object" : nf.Kind.ToString()) + "NotFound", "ObjectNotFound");
            case Stacks.StackCapabilityMissingException _:
                return StackCapabilityMissing;
            case Locking.ClusterBusyException _:
                return ClusterBusy;
            case ClusterStateException _:
                return new ErrorCode("ClusterStateInvalid", "InvalidOperation");
            case HaException _:
                return new ErrorCode("HaOperationFailed", "InvalidOperation");
            case OperationCanceledException _:
                return new ErrorCode("OperationStopped", "OperationStopped");
            case NotImplementedException _:
                return new ErrorCode("HaNotImplemented", "NotImplemented");
            case NotSupportedException _:
                return new ErrorCode("StackNotSupported", "NotImplemented", terminating: true);
            case FileNotFoundException _:
            case DirectoryNotFoundException _:
                return new ErrorCode("FileNotFound", "ObjectNotFound", terminating: true);
            case UnauthorizedAccessException _:
                return new ErrorCode("FileAccessDenied", "PermissionDenied", terminating: true);
            case IOException _:
                return new ErrorCode("FileAccessFailed", "ReadError", terminating: true);
            case ArgumentException _:
                return new ErrorCode("ArgumentInvalid", "InvalidArgument", terminating: true);
            default:
                return new ErrorCode("HaUnexpectedError", "NotSpecified");
        }
    }

    /// <summary>A command result (Invoke-HaCommand, hatools exec): null when the command ran (whatever its exit code:
    /// a non-zero exit is data, as with native commands); otherwise why it could not run. Results whose kind came
    /// only from the old bool properties (a runner that predates kinds, or a third-party ICommandRunner) are read by
    /// the transport's own recogniser, so they keep the ErrorIds they always had.</summary>
    public static ErrorCode? ClassifyResult(CommandResult result)
    {
        if (result.Failure == FailureKind.None && result.Error == null) return null;
        var kind = result.FailureUntyped || result.Failure == FailureKind.None
            ? OpenSshFailures.Untyped(true, result.ExitCode, result.StdErr + "\n" + result.Error)
            : result.Failure;
        return For(kind) ?? NodeUnreachable;
    }

    /// <summary>A failed file push (Status Failed): why.</summary>
    /// <summary>A push result made without a kind (by code that predates it) is read by the transport's recogniser.</summary>
    public static ErrorCode ClassifyPush(FilePushResult result) =>
        For(result.Failure != FailureKind.None ? result.Failure : OpenSshFailures.Untyped(false, 255, result.Error ?? "")) ?? FilePushFailed;

    /// <summary>The process exit code for a category (the CLI's): 3 for a node that cannot be reached or refused us,
    /// 4 for a timeout, 5 for something not found, 6 for a missing capability, 130 when stopped, 1 otherwise (an
    /// invalid cluster file included, as `hatools validate` always said; 2 stays the CLI's usage error).</summary>
    public static int ExitCode(ErrorCode cls) => cls.Category switch
    {
        "ConnectionError" or "SecurityError" => 3,
        "OperationTimeout" => 4,
        "ObjectNotFound" => 5,
        "NotImplemented" => 6,
        "OperationStopped" => 130,
        _ => 1,
    };

    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException a && a.InnerExceptions.Count == 1) e = a.InnerExceptions[0];
        return e;
    }
}
