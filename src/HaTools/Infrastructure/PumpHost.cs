using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>
/// The <see cref="IOperationHost"/> a cmdlet hands to Core. Core calls it from worker threads; every call becomes
/// an item in a queue that the pipeline thread drains (<see cref="Pump"/>) until the Core task is done, so the
/// cmdlet is only ever touched on its own thread. ShouldProcess waits for the pipeline thread's answer through a
/// TaskCompletionSource; once the pump is closed every question is answered "no" (fail closed).
/// Progress goes out under one source id of this command's own (<see cref="ICommandRuntime.WriteProgress(long, ProgressRecord)"/>),
/// so that the bars a stopped command leaves open can still be completed under the same id (<see cref="CompleteProgress"/>).
/// </summary>
internal sealed class PumpHost : IOperationHost, IDisposable
{
    private readonly PSCmdlet _cmdlet;
    private readonly long _sourceId;
    private readonly CancellationToken _stopping;
    private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>();
    private readonly object _gate = new object();
    private readonly List<TaskCompletionSource<bool>> _pending = new List<TaskCompletionSource<bool>>();
    private readonly int _pipelineThread = Thread.CurrentThread.ManagedThreadId;
    // Touched on the pipeline thread only.
    private readonly Dictionary<int, string> _openProgress = new Dictionary<int, string>();
    private bool _closed;

    /// <param name="sourceId">The progress source id of <paramref name="cmdlet"/> (one per command instance: a host tells
    /// commands' bars apart by it).</param>
    public PumpHost(PSCmdlet cmdlet, long sourceId, CancellationToken stopping)
    {
        _cmdlet = cmdlet;
        _sourceId = sourceId;
        _stopping = stopping;
    }

    /// <summary>A progress source id for one command instance. The engine numbers its own sources 1, 2, 3 … per process;
    /// this one is random above 2^48, so it meets neither theirs nor another command's, without any shared counter.</summary>
    public static long NewSourceId() => (BitConverter.ToInt64(Guid.NewGuid().ToByteArray(), 0) & 0x0000_7FFF_FFFF_FFFFL) | 0x0001_0000_0000_0000L;

    public bool ShouldProcess(string target, string action)
    {
        if (OnPipelineThread) return _cmdlet.ShouldProcess(target, action);
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_closed) return false;
            _pending.Add(answer);
            _queue.Add(() =>
            {
                try { answer.TrySetResult(_cmdlet.ShouldProcess(target, action)); }
                catch { answer.TrySetResult(false); throw; }
            });
        }
        try
        {
            answer.Task.Wait(_stopping);
            return answer.Task.Result;
        }
        finally
        {
            lock (_gate) _pending.Remove(answer);
        }
    }

    public void Progress(ProgressInfo progress) => Post(() => WriteProgress(progress));

    public void Warning(string message) => Post(() => _cmdlet.WriteWarning(message));

    public void Verbose(string message) => Post(() => _cmdlet.WriteVerbose(message));

    /// <summary>Pipeline thread: run queued host requests until <paramref name="work"/> completes (or the command is stopped).</summary>
    public void Pump(Task work)
    {
        work.ContinueWith(_ => Close(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        foreach (var item in _queue.GetConsumingEnumerable(_stopping)) item();
    }

    /// <summary>Pipeline thread: complete every progress bar still open (also after failure or Ctrl+C).</summary>
    /// <remarks>Once a pipeline is stopping, the engine refuses every Write* of its commands (PipelineStoppedException, the
    /// source-id overload too), and it marks the pipeline stopping before it calls StopProcessing, so no cmdlet can complete
    /// its bars through the runtime after Ctrl+C or PowerShell.Stop(). The host's UI still takes a record: it hands it to the
    /// host and to the invoker's progress stream (PowerShell.Streams.Progress), which is where a stopped command's bars end.</remarks>
    public void CompleteProgress()
    {
        foreach (var open in _openProgress)
        {
            var record = new ProgressRecord(open.Key, open.Value, Strings.ProgressDone) { RecordType = ProgressRecordType.Completed };
            try
            {
                _cmdlet.CommandRuntime.WriteProgress(_sourceId, record);
            }
            catch (PipelineStoppedException)
            {
                if (!ProgressShown()) break;
                try { _cmdlet.Host.UI.WriteProgress(_sourceId, record); }
                catch (Exception e) when (HaCmdlet.IsReportable(e)) { break; } // a host without progress support
            }
            catch (InvalidOperationException) { break; }
        }
        _openProgress.Clear();
    }

    public void Dispose()
    {
        Close();
        _queue.Dispose();
    }

    private bool OnPipelineThread => Thread.CurrentThread.ManagedThreadId == _pipelineThread;

    private void Post(Action action)
    {
        if (OnPipelineThread) { action(); return; }
        lock (_gate)
        {
            if (!_closed) _queue.Add(action);
        }
    }

    private void Close()
    {
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            _queue.CompleteAdding();
            foreach (var p in _pending) p.TrySetResult(false);
        }
    }

    private void WriteProgress(ProgressInfo info)
    {
        var id = Math.Max(0, info.Id);
        var activity = string.IsNullOrEmpty(info.Activity) ? "HaTools" : info.Activity;
        var status = string.IsNullOrEmpty(info.Status) ? activity : info.Status;
        var record = new ProgressRecord(id, activity, status)
        {
            PercentComplete = Math.Min(100, Math.Max(-1, info.Percent)),
            RecordType = info.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        if (info.Completed) _openProgress.Remove(id);
        else _openProgress[id] = activity;
        _cmdlet.CommandRuntime.WriteProgress(_sourceId, record);
    }

    /// <summary>Whether the engine showed this command's bars: -ProgressAction, else $ProgressPreference (what the
    /// runtime applies to every record it passes on). A bar never shown is not completed behind the engine's back.</summary>
    private bool ProgressShown()
    {
        var value = _cmdlet.MyInvocation.BoundParameters.TryGetValue("ProgressAction", out var bound)
            ? bound
            : _cmdlet.SessionState.PSVariable.GetValue("ProgressPreference");
        if (value is PSObject wrapped) value = wrapped.BaseObject;
        if (!Enum.TryParse(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), ignoreCase: true, out ActionPreference preference)) return true;
        return preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
    }
}
