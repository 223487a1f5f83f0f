using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Transport;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace HaTools.Transport.SshNet;

/// <summary>How one command on one channel ended.</summary>
internal sealed class ChannelOutcome
{
    public ProcessOutcome Process { get; } = new ProcessOutcome();
    /// <summary>The connection broke while the command ran (it may or may not have run).</summary>
    public bool Lost { get; set; }
    /// <summary>Stopped by us: the caller cancelled or the local deadline passed.</summary>
    public bool Stopped { get; set; }
}

/// <summary>The channel could not be opened or the command not started on it: nothing ran.</summary>
internal sealed class NotStartedException : Exception
{
    public NotStartedException(Exception inner) : base(inner.Message, inner) { }
}

/// <summary>
/// One command on one channel of a connected client. SSH.NET opens the channel and sends the exec request
/// synchronously, and its output streams only block, so those run on threads of their own, never on the caller's or
/// the thread pool's. stdin's data is written, then end-of-file is sent, or under the node-side watcher
/// (<see cref="NodeSideTimeout.WrapCancellable"/>) stdin is held open until the command ends. A stop (cancel or the
/// local deadline) closes the channel, and SSH.NET sends end-of-file before the close: that end-of-file is what ends
/// the command's process group on the node. SSH.NET's own cancellation sends a signal, which sshd refuses for root
/// sessions (lab notes), so it is not used. SSH.NET sends end-of-file on closing an input stream only after some data
/// was written, so a command without stdin gets none from here (the runner gives it /dev/null on the node).
/// </summary>
internal static class RemoteCommand
{
    /// <summary>How long a closing channel, or the output of a command that ended, is waited for at most.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    public static async Task<ChannelOutcome> RunAsync(SshClient client, string commandLine, byte[]? stdin, bool holdStdinOpen, CancellationToken stop)
    {
        var sw = Stopwatch.StartNew();
        var outcome = new ChannelOutcome();
        var cmd = client.CreateCommand(commandLine);
        Task exec;
        try
        {
            var start = OnOwnThread(() => cmd.ExecuteAsync());
            await Task.WhenAny(start, Never(stop)).ConfigureAwait(false);
            if (!start.IsCompleted)
            {
                // The node does not even open a channel (a frozen sshd): give up on it; the thread ends with SSH.NET's timeout.
                _ = start.ContinueWith(t => { if (t.Status == TaskStatus.RanToCompletion) Observe(t.Result); else _ = t.Exception; cmd.Dispose(); }, TaskScheduler.Default);
                outcome.Stopped = true;
                outcome.Process.Duration = sw.Elapsed;
                return outcome;
            }
            exec = await start.ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionFault(e))
        {
            cmd.Dispose();
            throw new NotStartedException(e);
        }
        Observe(exec);

        Stream? input = null;
        try
        {
            Task feed = Task.CompletedTask;
            if (stdin != null && stdin.Length > 0)
            {
                try
                {
                    input = cmd.CreateInputStream();
                    feed = Feed(input, stdin, close: !holdStdinOpen);
                }
                catch (InvalidOperationException)
                {
                    // The command ended before its stdin could be opened (it did not wait for it): its result says what it did.
                }
            }
            var stdout = Drain(cmd.OutputStream, outcome.Process);
            var stderr = Drain(cmd.ExtendedOutputStream, outcome.Process);

            await Task.WhenAny(exec, Never(stop)).ConfigureAwait(false);
            if (!exec.IsCompleted)
            {
                // Closing the channel sends end-of-file first: the watcher on the node ends the command's process group.
                outcome.Stopped = true;
                if (!feed.IsCompleted) await Task.WhenAny(feed, Task.Delay(TimeSpan.FromMilliseconds(200))).ConfigureAwait(false);
                await Task.WhenAny(OnOwnThread(cmd.Dispose), Task.Delay(StopGrace)).ConfigureAwait(false);
                outcome.Process.Duration = sw.Elapsed;
                outcome.Process.ExitCode = -1;
                return outcome;
            }
            if (exec.Exception?.GetBaseException() is { } fault)
            {
                if (!IsConnectionFault(fault)) throw fault;
                outcome.Lost = true;
            }
            // The output streams end once SSH.NET has closed the channel, right after the command's task completes.
            await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(StopGrace)).ConfigureAwait(false);
            outcome.Process.StdOut = stdout.IsCompleted ? stdout.Result : Array.Empty<byte>();
            outcome.Process.StdErr = stderr.IsCompleted ? stderr.Result : Array.Empty<byte>();
            outcome.Process.ExitCode = ExitCode(cmd, outcome);
            outcome.Process.Duration = sw.Elapsed;
            return outcome;
        }
        finally
        {
            // Ends the channel (if still open) and the output streams, so no reader thread is left waiting.
            try { input?.Dispose(); } catch (Exception e) when (IsConnectionFault(e) || e is InvalidOperationException) { }
            cmd.Dispose();
        }
    }

    /// <summary>The command's exit status; a death by signal as a shell reports it (128 + n); -1 when the node said neither.</summary>
    private static int ExitCode(SshCommand cmd, ChannelOutcome outcome)
    {
        if (cmd.ExitStatus is int status) return status;
        if (cmd.ExitSignal is string signal) return 128 + SignalNumber(signal);
        if (!outcome.Stopped) outcome.Lost = true;
        return -1;
    }

    // RFC 4254 6.10 names the signals without "SIG"; numbers as on Linux and FreeBSD for the ones that agree.
    private static int SignalNumber(string name) => name switch
    {
        "HUP" => 1, "INT" => 2, "QUIT" => 3, "ILL" => 4, "ABRT" => 6, "FPE" => 8, "KILL" => 9, "SEGV" => 11, "PIPE" => 13, "ALRM" => 14, "TERM" => 15,
        _ => 127,
    };

    /// <summary>What SSH.NET throws when the connection is gone or will not carry a channel (types, never message text).</summary>
    internal static bool IsConnectionFault(Exception e) =>
        e is SshConnectionException || e is SshOperationTimeoutException || e is SshException || e is SocketException ||
        e is IOException || e is ObjectDisposedException;

    private static Task<T> OnOwnThread<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Task OnOwnThread(Action work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Writes stdin (SSH.NET waits for the node's window) and, unless it is held open, sends end-of-file.</summary>
    private static Task Feed(Stream input, byte[] data, bool close) => OnOwnThread(() =>
        {
            try
            {
                input.Write(data, 0, data.Length);
                input.Flush();
                if (close) input.Dispose();
            }
            catch (Exception e) when (IsConnectionFault(e) || e is InvalidOperationException)
            {
                // The command ended (or the connection broke) before it read all of its stdin: its result says so.
            }
        });

    /// <summary>Keeps up to the capture limit of a stream (the OpenSSH runner's, 32 MiB); the rest is read and dropped.</summary>
    private static Task<byte[]> Drain(Stream s, ProcessOutcome outcome) => OnOwnThread(() =>
    {
        var ms = new MemoryStream();
        var buf = new byte[65536];
        try
        {
            int n;
            while ((n = s.Read(buf, 0, buf.Length)) > 0)
            {
                var room = ProcessRunner.MaxCapture - (int)ms.Length;
                if (room > 0) ms.Write(buf, 0, Math.Min(room, n));
                if (n > room) outcome.OutputTruncated = true;
            }
        }
        catch (ObjectDisposedException)
        {
            // The command was let go: what was read so far is its output.
        }
        return ms.ToArray();
    });

    private static Task Never(CancellationToken stop) => Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);

    private static void Observe(Task t) => t.ContinueWith(x => _ = x.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
