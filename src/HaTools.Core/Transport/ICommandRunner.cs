using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;

namespace HaTools.Core.Transport;

/// <summary>One command for one node: an argv (never a pre-built shell string), optional stdin, a timeout.</summary>
public sealed class CommandRequest
{
    public CommandRequest(IReadOnlyList<string> argv, TimeSpan? timeout = null, byte[]? stdin = null)
    {
        if (argv.Count == 0) throw new ArgumentException("empty argv", nameof(argv));
        Argv = argv;
        Timeout = timeout ?? TimeSpan.FromSeconds(60);
        Stdin = stdin;
    }

    public IReadOnlyList<string> Argv { get; }
    public TimeSpan Timeout { get; }
    /// <summary>Bytes fed to the command's stdin. The only way secrets travel.</summary>
    public byte[]? Stdin { get; }
    /// <summary>When true, stdout is not kept in logs/verbose output (it may hold a secret).</summary>
    public bool SensitiveOutput { get; init; }

    /// <summary>
    /// The command ends itself when the call is cancelled, so the runner adds no watcher of its own (see
    /// <see cref="NodeSideTimeout"/>): it reads exactly <see cref="Stdin"/>'s bytes, then tries to read one line. For a
    /// cancellable call the runner sends that line (a newline) after the data and keeps stdin open until the command
    /// ends, closing it first on cancel or deadline; the command takes the line as the sign that the end of stdin from
    /// then on means "stop", and watches for it (FilePusher's script does, with one background read loop). For any other
    /// call, or a runner that knows nothing of this, stdin simply ends after the data and the command runs unwatched.
    /// </summary>
    public bool EndsWhenStdinCloses { get; init; }

    /// <summary>The command line as shown to people and in errors (argv quoted; never holds stdin).</summary>
    public string Display => ShellQuote.Join(Argv);

    public static CommandRequest Of(params string[] argv) => new CommandRequest(argv);
}

/// <summary>
/// The one seam between HaTools and the nodes. Implementations: <see cref="SshCommandRunner"/>,
/// <see cref="LocalCommandRunner"/>, and in tests a fake with an ordered queue of expected calls.
/// Never throws for a failed or unreachable command: that is in the result. Throws only on cancellation.
/// </summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default);
}
