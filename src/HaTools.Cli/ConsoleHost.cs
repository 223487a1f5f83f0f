using System;
using HaTools.Core;

namespace HaTools.Cli;

/// <summary>The CLI's IOperationHost: progress and warnings on stderr (stdout stays data), what-if lines, no prompts.</summary>
internal sealed class ConsoleHost : IOperationHost
{
    private readonly object _lock = new object();

    public bool WhatIf { get; set; }
    public bool Verbose { get; set; }
    public bool Quiet { get; set; }

    public bool ShouldProcess(string target, string action)
    {
        if (!WhatIf) return true;
        lock (_lock) Console.Out.WriteLine($"What if: {action} on \"{target}\"");
        return false;
    }

    public void Progress(ProgressInfo progress)
    {
        if (Quiet) return;
        lock (_lock)
        {
            if (progress.Completed) return;
            Console.Error.WriteLine($"[{progress.Percent,3}%] {progress.Activity}: {progress.Status}");
        }
    }

    public void Warning(string message)
    {
        lock (_lock) Console.Error.WriteLine("WARNING: " + message);
    }

    void IOperationHost.Verbose(string message)
    {
        if (!Verbose) return;
        lock (_lock) Console.Error.WriteLine("VERBOSE: " + message);
    }
}
