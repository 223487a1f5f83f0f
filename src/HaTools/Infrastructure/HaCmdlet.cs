using System;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>
/// Base of every HaTools cmdlet: cancellation wired to StopProcessing (Ctrl+C), the async pump that runs one Core
/// call on the thread pool while this thread serves its host requests, and error reporting through ErrorMapper.
/// </summary>
public abstract class HaCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
    private readonly long _progressSource = PumpHost.NewSourceId();

    /// <summary>Cancelled when the command is stopped.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>Kind of object this cmdlet works on ("Resource", "Node" …), used to name NotFound errors.</summary>
    internal virtual string? ObjectKind => null;

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Run one Core operation: it runs on the thread pool; this (pipeline) thread drains its progress,
    /// warnings, verbose messages and ShouldProcess questions until it ends. Progress bars are always completed.
    /// Core's exceptions come out unchanged; a stop comes out as PipelineStoppedException.</summary>
    internal T Run<T>(Func<IOperationHost, CancellationToken, Task<T>> operation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
        var token = linked.Token;
        var host = new PumpHost(this, _progressSource, token);
        var work = Task.Run(() => operation(host, token), token);
        var pumped = false;
        try
        {
            host.Pump(work);
            pumped = true;
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            if (!pumped) linked.Cancel();
            host.Dispose();
            host.CompleteProgress();
        }
        try
        {
            return work.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Run and report a failure as non-terminating error(s) (or terminating ones for bad input).
    /// Returns false when it failed.</summary>
    internal bool TryRun<T>(Func<IOperationHost, CancellationToken, Task<T>> operation, object? target, out T result)
    {
        try
        {
            result = Run(operation);
            return true;
        }
        catch (Exception e) when (IsReportable(e))
        {
            Report(e, target);
            result = default!;
            return false;
        }
    }

    /// <summary>Write every record for <paramref name="exception"/>; bad input (a broken cluster file …) ends the command:
    /// all but the last record are written, the last one is thrown.</summary>
    internal void Report(Exception exception, object? target, bool terminate = false)
    {
        var records = ErrorMapper.ToErrorRecords(exception, target, ObjectKind);
        var terminating = terminate || ErrorClassifier.Classify(exception, ObjectKind).Terminating;
        for (var i = 0; i < records.Count; i++)
        {
            if (terminating && i == records.Count - 1) ThrowTerminatingError(records[i]);
            WriteError(records[i]);
        }
    }

    /// <summary>Bad input found by the module itself: ends the command.</summary>
    internal void Fail(ErrorClass cls, string message, object? target) => ThrowTerminatingError(ErrorMapper.Create(cls, message, target));

    /// <summary>One failed item (node, phase, file) among many: the command goes on.</summary>
    internal void WriteFailure(ErrorClass cls, string message, object? target) => WriteError(ErrorMapper.Create(cls, message, target));

    internal static bool IsReportable(Exception e) =>
        !(e is PipelineStoppedException) && !(e is ActionPreferenceStopException) && !(e is PipelineClosedException)
        && !(e is OutOfMemoryException) && !(e is StackOverflowException) && !(e is ThreadAbortException);

    /// <summary>Rethrow keeping the original stack.</summary>
    internal static Exception Rethrow(Exception e)
    {
        ExceptionDispatchInfo.Capture(e).Throw();
        return e;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _stopping.Dispose();
    }
}
