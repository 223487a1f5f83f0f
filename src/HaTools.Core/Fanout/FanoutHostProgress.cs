using System;

namespace HaTools.Core.Fanout;

/// <summary>Fan-out progress (nodes done) as one host activity; each front words the status its own way
/// (the module from its resources, hatools in English). Thread-safe because the host is.</summary>
public sealed class FanoutHostProgress : IProgress<FanoutProgress>
{
    private readonly IOperationHost _host;
    private readonly string _activity;
    private readonly Func<FanoutProgress, string> _status;

    public FanoutHostProgress(IOperationHost host, string activity, Func<FanoutProgress, string> status)
    {
        _host = host;
        _activity = activity;
        _status = status;
    }

    public void Report(FanoutProgress value)
    {
        var percent = value.Total == 0 ? 100 : value.Done * 100 / value.Total;
        _host.Progress(new ProgressInfo(_activity, _status(value), percent, completed: value.Total > 0 && value.Done >= value.Total) { Id = 1 });
    }
}
