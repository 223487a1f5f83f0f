using System;
using HaTools.Core;
using HaTools.Core.Fanout;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>Fan-out progress (nodes done) → host progress; thread-safe because the host is.</summary>
internal sealed class FanoutProgressReporter : IProgress<FanoutProgress>
{
    private readonly IOperationHost _host;
    private readonly string _activity;

    public FanoutProgressReporter(IOperationHost host, string activity)
    {
        _host = host;
        _activity = activity;
    }

    public void Report(FanoutProgress value)
    {
        var percent = value.Total == 0 ? 100 : value.Done * 100 / value.Total;
        var status = Msg.Format(Strings.NodeProgressStatus, value.Done, value.Total, value.Node);
        _host.Progress(new ProgressInfo(_activity, status, percent, completed: value.Total > 0 && value.Done >= value.Total) { Id = 1 });
    }
}
