using System.Collections.Generic;
using HaTools.Core.Model;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>Writes per-node results: every result is output; each failed one is also a non-terminating error for its node.</summary>
internal static class ResultWriter
{
    public static void Write(HaCmdlet cmdlet, IEnumerable<PhaseResult> phases)
    {
        foreach (var phase in phases)
        {
            if (phase.Status == PhaseStatus.Failed)
                cmdlet.WriteFailure(ErrorClassifier.PhaseFailed, Msg.Format(Strings.PhaseFailed, phase.Node, phase.Phase, phase.Message), phase.Node);
            cmdlet.WriteObject(phase);
        }
    }

    /// <summary>A non-zero exit code is data (as with native commands); a command that could not run or timed out is an error too.</summary>
    public static void Write(HaCmdlet cmdlet, IEnumerable<CommandResult> results, string display)
    {
        foreach (var result in results)
        {
            var failure = ErrorClassifier.ClassifyResult(result);
            if (failure != null)
            {
                var message = result.TimedOut
                    ? Msg.Format(Strings.CommandTimedOut, result.Node, display, result.Duration.TotalSeconds)
                    : Msg.Format(Strings.CommandNotRun, result.Node, display, result.Error ?? result.StdErr.Trim());
                cmdlet.WriteFailure(failure, message, result.Node);
            }
            cmdlet.WriteObject(result);
        }
    }

    public static void Write(HaCmdlet cmdlet, IEnumerable<FilePushResult> results)
    {
        foreach (var result in results)
        {
            if (result.Status == FileChange.Failed)
                cmdlet.WriteFailure(ErrorClassifier.ClassifyPush(result), Msg.Format(Strings.FilePushFailed, result.Node, result.Destination, result.Error), result.Node);
            cmdlet.WriteObject(result);
        }
    }
}
