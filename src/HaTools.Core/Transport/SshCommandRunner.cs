using System;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;

namespace HaTools.Core.Transport;

/// <summary>Runs commands through the OpenSSH client with connection reuse (ControlMaster).</summary>
public sealed class SshCommandRunner : ICommandRunner, IDisposable
{
    public SshCommandRunner(SshRunnerOptions? options = null) { Options = options ?? new SshRunnerOptions(); }

    public SshRunnerOptions Options { get; }

    public Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    public void Dispose() { }
}

public sealed class SshRunnerOptions
{
    /// <summary>ssh client binary.</summary>
    public string SshPath { get; set; } = "ssh";
    /// <summary>Private 0700 folder for control sockets; default $XDG_RUNTIME_DIR/hatools-ssh or ~/.cache/hatools/ssh.</summary>
    public string? ControlDirectory { get; set; }
    /// <summary>How long an idle master connection stays (seconds). 0 disables connection reuse.</summary>
    public int ControlPersistSec { get; set; } = 300;
}
