using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using HaTools.Core.Locking;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Pacemaker;

public sealed partial class PacemakerStack
{
    /// <summary>Status, with the guards every resource change goes through: the resource exists, the partition
    /// we talk to has quorum (unless forced), and a warning when fencing is off.</summary>
    private async Task<ClusterStatus> GuardAsync(ClusterContext ctx, string resource, ActionOptions o, IOperationHost host, CancellationToken ct)
    {
        Names.Require(resource, "resource name");
        var s = await CrmStatusAsync(ctx, ct).ConfigureAwait(false);
        if (Instances(s, resource).Count == 0)
            throw new NotFoundException(ObjectKind.Resource, $"resource '{resource}' is not configured in cluster '{ctx.Spec.Name}'", resource);
        if (!s.Quorate && !o.Force)
            throw new ClusterStateException($"the partition seen from {s.QueriedNode} has no quorum: refusing to change resources (use -Force to override)", resource);
        foreach (var n in s.Notices.Where(n => n.Code == NoticeCodes.StonithDisabled)) host.Warning(n.Message);
        return s;
    }

    public async Task<ResourceActionResult> StartResourceAsync(ClusterContext context, string resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        await using var held = await ClusterLock.AcquireAsync(context, "start " + resource, host, cancellationToken).ConfigureAwait(false);
        return await SetTargetRoleAsync(context, resource, "Started", options, host, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ResourceActionResult> StopResourceAsync(ClusterContext context, string resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        await using var held = await ClusterLock.AcquireAsync(context, "stop " + resource, host, cancellationToken).ConfigureAwait(false);
        return await SetTargetRoleAsync(context, resource, "Stopped", options, host, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ResourceActionResult> SetTargetRoleAsync(ClusterContext ctx, string resource, string role, ActionOptions o, IOperationHost host, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await GuardAsync(ctx, resource, o, host, ct).ConfigureAwait(false);
        var verb = role == "Started" ? "start" : "stop";
        var result = new ResourceActionResult { Resource = resource, Action = verb };
        if (!host.ShouldProcess(resource, $"{verb} resource (target-role={role})")) return result;
        await OnAnyNodeAsync(ctx, new CommandRequest(role == "Started" ? PacemakerCommands.Start(resource) : PacemakerCommands.Stop(resource), CommandTimeout), ct).ConfigureAwait(false);
        result.Changed = true;
        if (o.Wait)
        {
            var s = await WaitForAsync(ctx, st =>
            {
                var inst = Instances(st, resource);
                var bad = inst.Where(i => role == "Started" ? i.Node == null || i.Failed : i.Node != null).Select(i => i.Name).ToList();
                return bad.Count == 0 ? null : $"{string.Join(", ", bad)} not {role.ToLowerInvariant()} yet";
            }, o.Timeout, $"{verb} {resource}", host, ct).ConfigureAwait(false);
            Fill(result, s, resource);
        }
        result.Duration = sw.Elapsed;
        return result;
    }

    public async Task<ResourceActionResult> RestartResourceAsync(ClusterContext context, string resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        await using var held = await ClusterLock.AcquireAsync(context, "restart " + resource, host, cancellationToken).ConfigureAwait(false);
        var sw = Stopwatch.StartNew();
        await GuardAsync(context, resource, options, host, cancellationToken).ConfigureAwait(false);
        var result = new ResourceActionResult { Resource = resource, Action = "restart" };
        if (!host.ShouldProcess(resource, "restart resource")) return result;
        // crm_resource --restart stops, waits, starts and waits by itself; give it the caller's bound.
        var timeout = options.Timeout + TimeSpan.FromSeconds(10);
        await OnAnyNodeAsync(context, new CommandRequest(PacemakerCommands.Restart(resource, options.Timeout), timeout), cancellationToken).ConfigureAwait(false);
        result.Changed = true;
        Fill(result, await CrmStatusAsync(context, cancellationToken).ConfigureAwait(false), resource);
        result.Duration = sw.Elapsed;
        return result;
    }

    public async Task<ResourceActionResult> MoveResourceAsync(ClusterContext context, string resource, string node, MoveOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        await using var held = await ClusterLock.AcquireAsync(context, $"move {resource} to {node}", host, cancellationToken).ConfigureAwait(false);
        var sw = Stopwatch.StartNew();
        Names.Require(node, "node name");
        var before = await GuardAsync(context, resource, options, host, cancellationToken).ConfigureAwait(false);
        var target = before.Nodes.FirstOrDefault(n => n.Name == node)
            ?? throw new NotFoundException(ObjectKind.Node, $"node '{node}' is not a member of cluster '{context.Spec.Name}'", node);
        if (!target.Online || target.Standby)
            throw new ClusterStateException($"node '{node}' cannot take resources: it is {(target.Online ? "in standby" : "offline")}", node);
        var result = new ResourceActionResult { Resource = resource, Action = "move" };
        if (Instances(before, resource).All(i => i.Node == node))
        {
            Fill(result, before, resource);
            result.Message = $"already on {node}";
            return result;
        }
        if (!host.ShouldProcess(resource, $"move resource to {node}" + (options.Lifetime != null ? $" for {options.Lifetime}" : ""))) return result;
        await OnAnyNodeAsync(context, new CommandRequest(PacemakerCommands.Move(resource, node, options.Lifetime), CommandTimeout), cancellationToken).ConfigureAwait(false);
        result.Changed = true;
        // Without a lifetime the move constraint is ours to remove, which means waiting for the move first.
        if (options.Wait || options.Lifetime == null)
        {
            string? NotMoved(ClusterStatus st)
            {
                var inst = Instances(st, resource);
                var away = inst.Where(i => i.Node != node || i.Failed).Select(i => i.Name).ToList();
                return away.Count == 0 ? null : $"{string.Join(", ", away)} not started on {node} yet";
            }
            ClusterStatus after;
            try
            {
                after = await WaitForAsync(context, NotMoved, options.Timeout, $"move {resource} to {node}", host, cancellationToken).ConfigureAwait(false);
            }
            catch (HaTimeoutException) when (options.Lifetime == null)
            {
                // Leave no stray cli-prefer behind even when the move did not complete.
                await OnAnyNodeAsync(context, new CommandRequest(PacemakerCommands.ClearMove(resource), CommandTimeout), cancellationToken).ConfigureAwait(false);
                throw;
            }
            if (options.Lifetime == null)
            {
                await OnAnyNodeAsync(context, new CommandRequest(PacemakerCommands.ClearMove(resource), CommandTimeout), cancellationToken).ConfigureAwait(false);
                if (options.Wait)
                    after = await WaitForAsync(context, st => NotMoved(st) is { } why ? "moved back after the move constraint was removed: " + why : null,
                        TimeSpan.FromSeconds(10), $"settle {resource}", host, cancellationToken).ConfigureAwait(false);
                result.Message = "moved; move constraint removed";
            }
            Fill(result, after, resource);
        }
        result.Duration = sw.Elapsed;
        return result;
    }

    public async Task<ResourceActionResult> ClearResourceAsync(ClusterContext context, string resource, string? node, ActionOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        await using var held = await ClusterLock.AcquireAsync(context, "cleanup " + resource, host, cancellationToken).ConfigureAwait(false);
        var sw = Stopwatch.StartNew();
        Names.Require(resource, "resource name");
        if (node != null) Names.Require(node, "node name");
        var result = new ResourceActionResult { Resource = resource, Action = "cleanup" };
        if (!host.ShouldProcess(resource, "clean up failures and fail counts" + (node != null ? $" on {node}" : ""))) return result;
        await OnAnyNodeAsync(context, new CommandRequest(PacemakerCommands.Cleanup(resource, node), CommandTimeout), cancellationToken).ConfigureAwait(false);
        result.Changed = true;
        if (options.Wait)
            Fill(result, await WaitForAsync(context, st => Instances(st, resource).Any(i => i.Failed || i.FailCount > 0) ? "failures still recorded" : null,
                options.Timeout, $"cleanup {resource}", host, cancellationToken).ConfigureAwait(false), resource);
        result.Duration = sw.Elapsed;
        return result;
    }

    public async Task<NodeActionResult> SetNodeStandbyAsync(ClusterContext context, string node, bool standby, ActionOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        await using var held = await ClusterLock.AcquireAsync(context, (standby ? "standby " : "unstandby ") + node, host, cancellationToken).ConfigureAwait(false);
        var sw = Stopwatch.StartNew();
        Names.Require(node, "node name");
        var s = await CrmStatusAsync(context, cancellationToken).ConfigureAwait(false);
        var ns = s.Nodes.FirstOrDefault(n => n.Name == node) ?? throw new NotFoundException(ObjectKind.Node, $"node '{node}' is not a member of cluster '{context.Spec.Name}'", node);
        var result = new NodeActionResult { Node = node, Action = standby ? "standby" : "unstandby", Standby = ns.Standby, ResourceCount = ns.ResourceCount };
        if (ns.Standby == standby) { result.Duration = sw.Elapsed; return result; }
        if (standby && !s.Quorate && !options.Force)
            throw new ClusterStateException($"the partition seen from {s.QueriedNode} has no quorum: refusing to put {node} in standby (use -Force to override)", node);
        if (!host.ShouldProcess(node, standby ? "put node in standby (its resources move away)" : "bring node out of standby")) return result;
        await OnAnyNodeAsync(context, new CommandRequest(PacemakerCommands.SetStandby(node, standby), CommandTimeout), cancellationToken).ConfigureAwait(false);
        result.Changed = true;
        if (options.Wait)
        {
            var after = await WaitForAsync(context, st =>
            {
                var n = st.Nodes.FirstOrDefault(x => x.Name == node);
                if (n == null) return $"{node} not in status";
                if (n.Standby != standby) return "standby attribute not applied yet";
                if (standby && n.ResourceCount > 0) return $"{n.ResourceCount} resources still on {node}";
                return null;
            }, options.Timeout, $"{result.Action} {node}", host, cancellationToken).ConfigureAwait(false);
            var n2 = after.Nodes.First(x => x.Name == node);
            result.Standby = n2.Standby;
            result.ResourceCount = n2.ResourceCount;
        }
        else result.Standby = standby;
        result.Duration = sw.Elapsed;
        return result;
    }

    public async Task<ClusterProperty> SetPropertyAsync(ClusterContext context, string name, string? value, IOperationHost host, CancellationToken cancellationToken)
    {
        await using var held = await ClusterLock.AcquireAsync(context, "property " + name, host, cancellationToken).ConfigureAwait(false);
        var argv = value == null ? PacemakerCommands.DeleteProperty(name) : PacemakerCommands.SetProperty(name, value);
        var result = new ClusterProperty { Name = name, Value = value };
        if (!host.ShouldProcess(name, value == null ? "remove cluster property" : $"set cluster property to '{value}'")) return result;
        await OnAnyNodeAsync(context, new CommandRequest(argv, CommandTimeout), cancellationToken).ConfigureAwait(false);
        if (name == "stonith-enabled" && value != null && value.Equals("false", StringComparison.OrdinalIgnoreCase))
            host.Warning(CrmMonParser.StonithDisabledWarning);
        return result;
    }

    public async Task<ResourceActionResult> NewResourceAsync(ClusterContext context, PrimitiveSpec resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        await using var held = await ClusterLock.AcquireAsync(context, "create " + resource.Name, host, cancellationToken).ConfigureAwait(false);
        var sw = Stopwatch.StartNew();
        Names.Require(resource.Name, "resource name");
        var cib = await QueryCibAsync(context, cancellationToken).ConfigureAwait(false);
        if (CibReader.ResourceExists(cib, resource.Name))
            throw new ClusterStateException($"a resource with id '{resource.Name}' already exists", resource.Name);
        var xml = CibGenerator.Primitive(resource);
        var result = new ResourceActionResult { Resource = resource.Name, Action = "create" };
        if (!host.ShouldProcess(resource.Name, $"create resource {resource.Agent}")) return result;
        await OnAnyNodeAsync(context, new CommandRequest(PacemakerCommands.Create("resources"), CommandTimeout, Utf8(xml)), cancellationToken).ConfigureAwait(false);
        result.Changed = true;
        if (options.Wait)
            Fill(result, await WaitForAsync(context, st => Instances(st, resource.Name).Any(i => i.Node != null && !i.Failed) ? null : "not started yet",
                options.Timeout, $"create {resource.Name}", host, cancellationToken).ConfigureAwait(false), resource.Name);
        result.Duration = sw.Elapsed;
        return result;
    }

    public async Task<ResourceActionResult> RemoveResourceAsync(ClusterContext context, string resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        await using var held = await ClusterLock.AcquireAsync(context, "remove " + resource, host, cancellationToken).ConfigureAwait(false);
        var sw = Stopwatch.StartNew();
        Names.Require(resource, "resource name");
        var cib = await QueryCibAsync(context, cancellationToken).ConfigureAwait(false);
        var kind = CibReader.ResourceKind(cib, resource) ?? throw new NotFoundException(ObjectKind.Resource, $"resource '{resource}' is not configured", resource);
        var result = new ResourceActionResult { Resource = resource, Action = "remove" };
        if (!host.ShouldProcess(resource, "stop and remove resource and the constraints that name it")) return result;
        // Stop first so nothing is left running unmanaged, then remove the constraints that name it, then the resource.
        await SetTargetRoleAsync(context, resource, "Stopped", new ActionOptions { Wait = true, Timeout = options.Timeout, Force = options.Force }, NullOperationHost.Instance, cancellationToken).ConfigureAwait(false);
        foreach (var c in CibReader.Constraints(cib).Where(c => c.Resource == resource || c.Target == resource))
            await RemoveConstraintCoreAsync(context, cib, c.Id, cancellationToken).ConfigureAwait(false);
        await OnAnyNodeAsync(context, new CommandRequest(PacemakerCommands.Delete("resources"), CommandTimeout, Utf8(PacemakerCommands.DeleteInput(kind, resource))), cancellationToken).ConfigureAwait(false);
        result.Changed = true;
        result.Role = "Removed";
        result.Duration = sw.Elapsed;
        return result;
    }

    public async Task<ConstraintInfo> NewConstraintAsync(ClusterContext context, ConstraintInfo constraint, IOperationHost host, CancellationToken cancellationToken)
    {
        await using var held = await ClusterLock.AcquireAsync(context, "add constraint " + constraint.Resource, host, cancellationToken).ConfigureAwait(false);
        var cib = await QueryCibAsync(context, cancellationToken).ConfigureAwait(false);
        var xml = CibGenerator.Constraint(constraint);
        constraint.Id = (string)xml.Attribute("id")!;
        if (CibReader.Constraints(cib).Any(c => c.Id == constraint.Id) || CibReader.ResourceExists(cib, constraint.Id))
            throw new ClusterStateException($"id '{constraint.Id}' is already used in the CIB", constraint.Id);
        foreach (var r in new[] { constraint.Resource }.Concat(constraint.Type == ConstraintType.Location ? Array.Empty<string>() : new[] { constraint.Target }))
            if (!CibReader.ResourceExists(cib, r)) throw new NotFoundException(ObjectKind.Resource, $"resource '{r}' is not configured", r);
        if (!host.ShouldProcess(constraint.Id, $"add {constraint.Type.ToString().ToLowerInvariant()} constraint {constraint.Resource} → {constraint.Target}")) return constraint;
        await OnAnyNodeAsync(context, new CommandRequest(PacemakerCommands.Create("constraints"), CommandTimeout, Utf8(xml)), cancellationToken).ConfigureAwait(false);
        return constraint;
    }

    public async Task<ConstraintInfo> RemoveConstraintAsync(ClusterContext context, string id, IOperationHost host, CancellationToken cancellationToken)
    {
        await using var held = await ClusterLock.AcquireAsync(context, "remove constraint " + id, host, cancellationToken).ConfigureAwait(false);
        Names.Require(id, "constraint id");
        var cib = await QueryCibAsync(context, cancellationToken).ConfigureAwait(false);
        var c = CibReader.Constraints(cib).FirstOrDefault(x => x.Id == id) ?? throw new NotFoundException(ObjectKind.Constraint, $"constraint '{id}' does not exist", id);
        if (!host.ShouldProcess(id, "remove constraint")) return c;
        await RemoveConstraintCoreAsync(context, cib, id, cancellationToken).ConfigureAwait(false);
        return c;
    }

    private static async Task RemoveConstraintCoreAsync(ClusterContext ctx, XElement cib, string id, CancellationToken ct)
    {
        var el = cib.Descendants("constraints").Elements().FirstOrDefault(e => (string?)e.Attribute("id") == id);
        if (el == null) return;
        await OnAnyNodeAsync(ctx, new CommandRequest(PacemakerCommands.Delete("constraints"), CommandTimeout, Utf8(PacemakerCommands.DeleteInput(el.Name.LocalName, id))), ct).ConfigureAwait(false);
    }

    private static void Fill(ResourceActionResult r, ClusterStatus s, string resource)
    {
        var inst = Instances(s, resource);
        var nodes = inst.Select(i => i.Node).Where(n => n != null).Distinct().ToList();
        r.Node = nodes.Count == 0 ? null : string.Join(",", nodes);
        var roles = inst.Select(i => i.Role).Distinct().ToList();
        r.Role = roles.Count == 1 ? roles[0] : string.Join(",", roles);
    }

    private static byte[] Utf8(XElement e) => Utf8(e.ToString(SaveOptions.DisableFormatting));

    private static byte[] Utf8(string s) => new System.Text.UTF8Encoding(false).GetBytes(s);
}
