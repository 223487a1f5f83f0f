using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Transport;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Commands;

/// <summary>Runs one command (an argv: -Command and -ArgumentList, each one argument, quoted once) on nodes in parallel.
/// Piped node names are collected and run together at the end.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "HaCommand", DefaultParameterSetName = "Node", SupportsShouldProcess = true)]
[OutputType(typeof(CommandResult))]
public sealed class InvokeHaCommandCommand : HaClusterCmdlet
{
    private readonly List<string> _nodes = new List<string>();

    internal override string? ObjectKind => "Node";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Node", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FileNodeNameCompleter))]
    public string[] Node { get; set; } = Array.Empty<string>();

    /// <summary>Every node of the cluster.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "All")]
    public SwitchParameter All { get; set; }

    /// <summary>The program to run (argv[0]); not a shell line.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Node")]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "All")]
    [ValidateNotNullOrEmpty]
    public string Command { get; set; } = "";

    [Parameter(Position = 2, ParameterSetName = "Node", ValueFromRemainingArguments = true)]
    [Parameter(Position = 1, ParameterSetName = "All", ValueFromRemainingArguments = true)]
    [Alias("Args")]
    public string[]? ArgumentList { get; set; }

    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; }

    /// <summary>Per-node timeout of the command.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 60;

    protected override void ProcessRecord() => _nodes.AddRange(Node);

    protected override void EndProcessing()
    {
        var context = Context;
        var request = new CommandRequest(new[] { Command }.Concat(ArgumentList ?? Array.Empty<string>()).ToList(), TimeSpan.FromSeconds(TimeoutSec));
        var action = Msg.Format(Strings.InvokeAction, request.Display);
        var nodes = SelectNodes(All ? null : _nodes).Where(n => ShouldProcess(n.Name, action)).ToList();
        if (nodes.Count == 0) return;
        var options = new FanoutOptions { ThrottleLimit = ThrottleLimit > 0 ? ThrottleLimit : context.ThrottleLimit };
        var progress = Msg.Format(Strings.InvokeActivity, request.Display, nodes.Count);
        if (TryRun((h, t) => Fanout.RunCommandAsync(context.Runner, nodes, request, options, new FanoutProgressReporter(h, progress), t), null,
                out IReadOnlyList<CommandResult> results))
            ResultWriter.Write(this, results, request.Display);
    }
}
