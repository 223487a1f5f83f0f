using System;
using HaTools.Core;
using HaTools.Core.Fanout;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>Fan-out progress (nodes done) → host progress, worded from the module's resources (Core's FanoutHostProgress).</summary>
internal sealed class FanoutProgressReporter : IProgress<FanoutProgress>
{
    private readonly FanoutHostProgress _inner;

    public FanoutProgressReporter(IOperationHost host, string activity) =>
        _inner = new FanoutHostProgress(host, activity, v => Msg.Format(Strings.NodeProgressStatus, v.Done, v.Total, v.Node));

    public void Report(FanoutProgress value) => _inner.Report(value);
}
