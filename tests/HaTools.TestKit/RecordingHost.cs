using System.Collections.Generic;
using HaTools.Core;

namespace HaTools.TestKit;

/// <summary>The one operation host of the tests: it records everything Core tells it (thread-safe, Core calls it from
/// worker threads) and answers ShouldProcess as told (<see cref="WhatIf"/>: record and refuse).</summary>
public sealed class RecordingHost : IOperationHost
{
    private readonly object _lock = new object();

    public List<string> Warnings { get; } = new List<string>();
    public List<string> Verbose { get; } = new List<string>();
    /// <summary>Every ShouldProcess question, as "target: action".</summary>
    public List<string> Actions { get; } = new List<string>();
    public List<ProgressInfo> Progress { get; } = new List<ProgressInfo>();
    /// <summary>Everything, in order: "should-process T: A", "progress A: S", "warning M", "verbose M".</summary>
    public List<string> All { get; } = new List<string>();

    /// <summary>When true, ShouldProcess records the question and answers no, as under -WhatIf.</summary>
    public bool WhatIf { get; set; }

    public bool ShouldProcess(string target, string action)
    {
        lock (_lock) { Actions.Add($"{target}: {action}"); All.Add($"should-process {target}: {action}"); }
        return !WhatIf;
    }

    void IOperationHost.Progress(ProgressInfo progress)
    {
        lock (_lock) { Progress.Add(progress); All.Add($"progress {progress.Activity}: {progress.Status}"); }
    }

    public void Warning(string message)
    {
        lock (_lock) { Warnings.Add(message); All.Add("warning " + message); }
    }

    void IOperationHost.Verbose(string message)
    {
        lock (_lock) { Verbose.Add(message); All.Add("verbose " + message); }
    }
}
