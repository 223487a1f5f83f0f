using System;
using System.Collections.Generic;
using HaTools.Core.Spec;
using HaTools.Core.Transport;
using HaTools.Transport.SshNet;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.LabTests;

/// <summary>The sshnet runner (SSH.NET in process) against the lab's real sshd: the same contract as the OpenSSH runner.</summary>
[Collection("lab")]
public class SshNetRunnerContractTests : RemoteRunnerContract, IDisposable
{
    private readonly SshNetCommandRunner _runner = new SshNetCommandRunner();
    private readonly Core.ClusterContext _ctx;
    private readonly List<SshNetCommandRunner> _fresh = new List<SshNetCommandRunner>();

    public SshNetRunnerContractTests(ITestOutputHelper output) : base(output)
    {
        _ctx = new Core.ClusterContext(SpecLoader.Load(Lab.NodesFile), _runner);
    }

    protected override ICommandRunner Runner => _runner;
    protected override IReadOnlyList<NodeTarget> Targets => _ctx.Nodes;
    protected override LabResult OnNode(NodeTarget node, params string[] argv) => Lab.Exec(node.Name, argv);

    /// <summary>Its connections live in the runner, not in a folder: each fresh runner is closed when the test ends.</summary>
    protected override ICommandRunner FreshRunner(string dir)
    {
        var r = new SshNetCommandRunner();
        _fresh.Add(r);
        return r;
    }

    public void Dispose()
    {
        foreach (var r in _fresh) r.Dispose();
        _runner.Dispose();
    }
}
