using System;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;

namespace HaTools.Core.Transport;

/// <summary>Runs commands on this machine (the node you are on), with the same argv/stdin/timeout semantics.</summary>
public sealed class LocalCommandRunner : ICommandRunner
{
    public Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
