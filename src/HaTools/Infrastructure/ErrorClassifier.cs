using System;
using System.Collections.Generic;
using HaTools.Core.Model;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>One row of <see cref="ErrorCodes"/> as the module uses it: ErrorId, the name of a
/// System.Management.Automation.ErrorCategory member, and whether it stops the command.</summary>
internal sealed class ErrorClass
{
    public ErrorClass(ErrorCode code) { Code = code; }

    public ErrorCode Code { get; }
    public string ErrorId => Code.ErrorId;
    public string Category => Code.Category;
    public bool Terminating => Code.Terminating;

    public override string ToString() => Code.ToString();
}

/// <summary>
/// The module's view of Core's one failure table (<see cref="ErrorCodes"/>), which the CLI reads too. Pure: no
/// PowerShell types, so the unit tests (net10, no PowerShell) compile this file and check every row.
/// <see cref="ErrorMapper"/> only builds the ErrorRecord.
/// </summary>
internal static class ErrorClassifier
{
    /// <summary>Every category name the table can return (the tests check each is an ErrorCategory member).</summary>
    public static readonly IReadOnlyList<string> Categories = ErrorCodes.Categories;

    public static readonly ErrorClass ClusterFileNotFound = new ErrorClass(ErrorCodes.ClusterFileNotFound);
    public static readonly ErrorClass ClusterTargetAmbiguous = new ErrorClass(ErrorCodes.ClusterTargetAmbiguous);
    public static readonly ErrorClass ClusterFileExists = new ErrorClass(ErrorCodes.ClusterFileExists);
    public static readonly ErrorClass ClusterCheckFailed = new ErrorClass(ErrorCodes.ClusterCheckFailed);
    public static readonly ErrorClass SourceFileNotFound = new ErrorClass(ErrorCodes.SourceFileNotFound);
    public static readonly ErrorClass StatusFileNotFound = new ErrorClass(ErrorCodes.StatusFileNotFound);
    public static readonly ErrorClass ArgumentInvalid = new ErrorClass(ErrorCodes.ArgumentInvalid);
    public static readonly ErrorClass ClusterFileProblems = new ErrorClass(ErrorCodes.ClusterFileProblems);
    public static readonly ErrorClass NodeNotFound = new ErrorClass(ErrorCodes.NodeNotFound);
    public static readonly ErrorClass ResourceNotFound = new ErrorClass(ErrorCodes.ResourceNotFound);
    public static readonly ErrorClass PropertyNotFound = new ErrorClass(ErrorCodes.PropertyNotFound);
    public static readonly ErrorClass ConstraintNotFound = new ErrorClass(ErrorCodes.ConstraintNotFound);
    public static readonly ErrorClass PhaseFailed = new ErrorClass(ErrorCodes.PhaseFailed);
    public static readonly ErrorClass NodeCommandFailed = new ErrorClass(ErrorCodes.NodeCommandFailed);
    public static readonly ErrorClass FilePushFailed = new ErrorClass(ErrorCodes.FilePushFailed);
    public static readonly ErrorClass StackCapabilityMissing = new ErrorClass(ErrorCodes.StackCapabilityMissing);

    public static ErrorClass Classify(Exception exception, string? objectKind = null) => new ErrorClass(ErrorCodes.Classify(exception, objectKind));

    /// <summary>A command result from Invoke-HaCommand: null when the command ran (whatever its exit code).</summary>
    public static ErrorClass? ClassifyResult(CommandResult result) =>
        ErrorCodes.ClassifyResult(result) is { } code ? new ErrorClass(code) : null;

    /// <summary>A failed file push (Status Failed): why.</summary>
    public static ErrorClass ClassifyPush(FilePushResult result) => new ErrorClass(ErrorCodes.ClassifyPush(result));
}
