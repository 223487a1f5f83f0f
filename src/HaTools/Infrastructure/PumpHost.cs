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
/// </summary>
internal sealed class PumpHost : IOperationHost, IDisposable
{
    private readonly Cmdlet _cmdlet;
    private readonly CancellationToken _stopping;
    private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>();
    private readonly object _gate = new object();
    private readonly List<TaskCompletionSource<bool>> _pending = new List<TaskCompletionSource<bool>>();
    private readonly int _pipelineThread = Thread.CurrentThread.ManagedThreadId;
    // Touched on the pipeline thread only.
    private readonly Dictionary<int, string> _openProgress = new Dictionary<int, string>();
    private bool _closed;

    public PumpHost(Cmdlet cmdlet, CancellationToken stopping)
    {
        _cmdlet = cmdlet;
        _stopping = stopping;
    }

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
    public void CompleteProgress()
    {
        foreach (var open in _openProgress)
        {
            var record = new ProgressRecord(open.Key, open.Value, Strings.ProgressDone) { RecordType = ProgressRecordType.Completed };
            try { _cmdlet.WriteProgress(record); }
            catch (PipelineStoppedException) { break; }
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
        _cmdlet.WriteProgress(record);
    }
}
