using System;
using HaTools.Core;
using HaTools.Core.Fanout;

namespace HaTools.Cli;

/// <summary>The CLI's IOperationHost: progress and warnings on stderr (stdout stays data), what-if lines, no prompts.</summary>
internal sealed class ConsoleHost : IOperationHost
{
    private readonly object _lock = new object();
    private readonly ProgressView _view;

    public ConsoleHost(ProgressView view) { _view = view; }

    public bool WhatIf { get; set; }
    public bool Verbose { get; set; }
    public bool Quiet { get; set; }

    /// <summary>With --json the what-if lines go to stderr, so stdout stays one JSON document.</summary>
    public bool Json { get; set; }

    public bool ShouldProcess(string target, string action)
    {
        if (!WhatIf) return true;
        var line = $"What if: {action} on \"{target}\"";
        lock (_lock)
        {
            if (Json) _view.Line(line);
            else { _view.End(); Console.Out.WriteLine(line); }
        }
        return false;
    }

    public void Progress(ProgressInfo progress)
    {
        if (Quiet) return;
        lock (_lock) _view.Update(progress);
    }

    public void Warning(string message)
    {
        lock (_lock) _view.Line("WARNING: " + message);
    }

    void IOperationHost.Verbose(string message)
    {
        if (!Verbose) return;
        lock (_lock) _view.Line("VERBOSE: " + message);
    }

    /// <summary>Progress is over: the result comes next.</summary>
    public void EndProgress()
    {
        lock (_lock) _view.End();
    }

    /// <summary>Fan-out progress (nodes done) as one activity, worded as the module's.</summary>
    public IProgress<FanoutProgress> FanoutProgress(string activity) =>
        new FanoutHostProgress(this, activity, v => $"{v.Done} of {v.Total} done (last: {v.Node})");
}
