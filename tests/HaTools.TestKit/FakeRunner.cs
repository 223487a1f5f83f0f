using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Transport;
using Xunit;

namespace HaTools.TestKit;

/// <summary>
/// The test seam (as pcs's runner mock): an ordered queue of expected calls, each naming the node and the exact argv
/// it must receive, and the result to give back. A call that is not the next expected one fails the test;
/// <see cref="AssertDone"/> fails when expected calls were never made.
/// </summary>
public sealed class FakeRunner : ICommandRunner
{
    private readonly Queue<Expected> _queue = new Queue<Expected>();
    private readonly object _lock = new object();

    public List<(string Node, CommandRequest Request)> Calls { get; } = new List<(string, CommandRequest)>();

    /// <summary>When set, calls not in the queue are answered by this instead of failing (for fan-out tests).</summary>
    public Func<NodeTarget, CommandRequest, CommandResult>? Fallback { get; set; }

    public FakeRunner Expect(string node, string[] argv, int exit = 0, string stdout = "", string stderr = "", byte[]? stdin = null)
    {
        _queue.Enqueue(new Expected(node, argv, new CommandResult { Node = node, ExitCode = exit, StdOut = stdout, StdErr = stderr }, stdin));
        return this;
    }

    public Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            Calls.Add((node.Name, request));
            if (_queue.Count == 0)
            {
                if (Fallback != null) return Task.FromResult(Fallback(node, request));
                Assert.Fail($"unexpected call on {node.Name}: {request.Display}");
            }
            var e = _queue.Dequeue();
            Assert.True(e.Node == node.Name && e.Argv.SequenceEqual(request.Argv),
                $"expected on {e.Node}: {ShellQuote.Join(e.Argv)}\n     got on {node.Name}: {request.Display}");
            if (e.Stdin != null) Assert.Equal(e.Stdin, request.Stdin);
            return Task.FromResult(e.Result);
        }
    }

    public void AssertDone() => Assert.True(_queue.Count == 0, $"{_queue.Count} expected calls not made; next: {(_queue.Count > 0 ? ShellQuote.Join(_queue.Peek().Argv) : "")}");

    private sealed record Expected(string Node, string[] Argv, CommandResult Result, byte[]? Stdin);
}
