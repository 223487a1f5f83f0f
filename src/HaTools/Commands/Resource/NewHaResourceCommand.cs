using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using HaTools.Core;
using HaTools.Core.Stacks;
using ResourceRequest = HaTools.Core.Input.ResourceRequest;
using HaTools.Core.Spec;
using HaTools.PowerShell.Infrastructure;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Commands;

/// <summary>Adds a primitive resource to the live cluster configuration.</summary>
[Cmdlet(VerbsCommon.New, "HaResource", SupportsShouldProcess = true)]
[OutputType(typeof(ResourceActionResult))]
public sealed class NewHaResourceCommand : HaChangeCmdlet
{
    internal override string? ObjectKind => "Resource";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>class:provider:type (ocf:heartbeat:IPaddr2) or class:type (systemd:nginx).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Agent { get; set; } = "";

    /// <summary>Instance attributes (agent parameters), e.g. @{ ip = '10.0.0.50'; cidr_netmask = 24 }.</summary>
    [Parameter]
    public Hashtable? Parameter { get; set; }

    /// <summary>Meta attributes, e.g. @{ 'resource-stickiness' = 100 }.</summary>
    [Parameter]
    public Hashtable? Meta { get; set; }

    /// <summary>Operations, e.g. @{ name = 'monitor'; interval = '10s'; timeout = '20s' }. Without a monitor operation
    /// the resource gets monitor interval 10s timeout 20s (as pcs resource create adds one).</summary>
    [Parameter]
    public Hashtable[]? Operation { get; set; }

    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 120;

    protected override void ProcessRecord()
    {
        PrimitiveSpec spec = null!;
        try
        {
            var ops = new List<OperationSpec>();
            for (var i = 0; i < (Operation?.Length ?? 0); i++)
                ops.Add(InputConverters.Operation(Operation![i], i, (n, why) => Msg.Format(Strings.OperationEntryInvalid, n, why),
                    k => Msg.Format(Strings.OperationKeyUnknown, k)));
            spec = ResourceRequest.Build(Name, Agent, Parameter, Meta, ops, (p, k) => Msg.Format(Strings.HashtableValueNull, p, k));
        }
        catch (ArgumentException e)
        {
            Fail(ErrorClassifier.ArgumentInvalid, e.Message, Name);
        }
        var options = Options(Wait, TimeoutSec);
        if (TryCall<IResourceConfig, ResourceActionResult>((c, p, h, t) => p.NewResourceAsync(c, spec, options, h, t), Name, out ResourceActionResult result))
            WriteObject(result);
    }
}
