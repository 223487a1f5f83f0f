using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;

namespace HaTools.Core.Transport;

/// <summary>What a local child process did.</summary>
internal sealed class ProcessOutcome
{
    public int ExitCode { get; set; }
    public byte[] StdOut { get; set; } = Array.Empty<byte>();
    public byte[] StdErr { get; set; } = Array.Empty<byte>();
    public TimeSpan Duration { get; set; }
    /// <summary>Killed by us because the hard deadline passed.</summary>
    public bool Killed { get; set; }
    public bool OutputTruncated { get; set; }

    /// <summary>The command's own answer (exit code, output as text, duration) as a result for the node; the runner adds
    /// why it failed, if it did.</summary>
    public CommandResult ToResult(string node) => new CommandResult
    {
        Node = node,
        ExitCode = ExitCode,
        StdOut = ProcessRunner.Text(StdOut),
        StdErr = ProcessRunner.Text(StdErr),
        Duration = Duration,
        OutputTruncated = OutputTruncated,
    };
}

/// <summary>Starts a local program with an exact argv (no shell), feeds stdin, captures output, enforces a hard deadline.</summary>
internal static class ProcessRunner
{
    /// <summary>Each stream is kept up to this many bytes; the rest is read and dropped.</summary>
    public const int MaxCapture = 32 * 1024 * 1024;

    private static readonly System.Reflection.PropertyInfo? ArgumentListProperty =
        typeof(ProcessStartInfo).GetProperty("ArgumentList");

    /// <param name="holdStdinOpen">Keep stdin open after the data until the process ends, and close it first when the
    /// call is cancelled or its deadline passes: the node side (<see cref="NodeSideTimeout.For"/>) takes that
    /// end-of-file as the sign to end the command.</param>
    public static async Task<ProcessOutcome> RunAsync(string fileName, IReadOnlyList<string> args, byte[]? stdin, TimeSpan hardDeadline, CancellationToken cancellationToken, bool holdStdinOpen = false)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        SetArguments(psi, args);
        var sw = Stopwatch.StartNew();
        using var proc = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        proc.Exited += (_, _) => exited.TrySetResult(true);
        proc.Start();
        var outcome = new ProcessOutcome();
        var outTask = Drain(proc.StandardOutput.BaseStream, outcome);
        var errTask = Drain(proc.StandardError.BaseStream, outcome);
        var stdinStream = proc.StandardInput.BaseStream;
        var inTask = Feed(stdinStream, stdin, !holdStdinOpen);

        var all = Task.WhenAll(exited.Task, outTask, errTask);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = Task.Delay(hardDeadline, cts.Token);
        var first = await Task.WhenAny(all, deadline).ConfigureAwait(false);
        if (first != all)
        {
            outcome.Killed = !cancellationToken.IsCancellationRequested;
            await CloseQuietly(inTask, stdinStream).ConfigureAwait(false);
            TryKill(proc);
            // Streams close once the process is gone; do not wait forever on a grandchild holding them.
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        else
        {
            cts.Cancel();
        }
        await CloseQuietly(inTask, stdinStream).ConfigureAwait(false);
        outcome.Duration = sw.Elapsed;
        outcome.ExitCode = proc.HasExited ? proc.ExitCode : -1;
        outcome.StdOut = outTask.IsCompleted ? outTask.Result : Array.Empty<byte>();
        outcome.StdErr = errTask.IsCompleted ? errTask.Result : Array.Empty<byte>();
        return outcome;
    }

    private static void SetArguments(ProcessStartInfo psi, IReadOnlyList<string> args)
    {
        // .NET Core has ProcessStartInfo.ArgumentList (exact argv); .NET Framework (Windows PowerShell) does not.
        if (ArgumentListProperty?.GetValue(psi) is Collection<string> list)
        {
            foreach (var a in args) list.Add(a);
            return;
        }
        psi.Arguments = WindowsArgv.Join(args);
    }

    private static async Task<byte[]> Drain(Stream s, ProcessOutcome outcome)
    {
        var ms = new MemoryStream();
        var buf = new byte[65536];
        int n;
        while ((n = await s.ReadAsync(buf, 0, buf.Length).ConfigureAwait(false)) > 0)
        {
            var room = MaxCapture - (int)ms.Length;
            if (room > 0) ms.Write(buf, 0, Math.Min(room, n));
            if (n > room) outcome.OutputTruncated = true;
        }
        return ms.ToArray();
    }

    private static async Task Feed(Stream stdin, byte[]? data, bool close)
    {
        try
        {
            if (data != null && data.Length > 0)
            {
                await stdin.WriteAsync(data, 0, data.Length).ConfigureAwait(false);
                if (!close) await stdin.FlushAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (close) stdin.Dispose();
        }
    }

    /// <summary>Waits for the data to be written (a process gone early breaks the pipe: that is fine), then closes stdin.</summary>
    private static async Task CloseQuietly(Task feed, Stream stdin)
    {
        if (!feed.IsCompleted) await Task.WhenAny(feed, Task.Delay(TimeSpan.FromMilliseconds(200))).ConfigureAwait(false);
        try { if (feed.IsCompleted) await feed.ConfigureAwait(false); } catch (IOException) { } catch (ObjectDisposedException) { }
        try { stdin.Dispose(); } catch (IOException) { } catch (ObjectDisposedException) { }
    }

    private static void TryKill(Process p)
    {
        try { if (!p.HasExited) p.Kill(); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
    }

    public static string Text(byte[] bytes) => new UTF8Encoding(false, false).GetString(bytes);
}

/// <summary>Quoting for ProcessStartInfo.Arguments (parsed back with the CommandLineToArgvW rules on every platform).</summary>
internal static class WindowsArgv
{
    public static string Join(IReadOnlyList<string> args)
    {
        var sb = new StringBuilder();
        foreach (var a in args)
        {
            if (sb.Length > 0) sb.Append(' ');
            Append(sb, a);
        }
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string a)
    {
        if (a.Length > 0 && a.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"', '\\' }) < 0) { sb.Append(a); return; }
        sb.Append('"');
        var backslashes = 0;
        foreach (var c in a)
        {
            if (c == '\\') { backslashes++; continue; }
            if (c == '"') { sb.Append('\\', backslashes * 2 + 1); sb.Append('"'); }
            else { sb.Append('\\', backslashes); sb.Append(c); }
            backslashes = 0;
        }
        sb.Append('\\', backslashes * 2);
        sb.Append('"');
    }
}

/// <summary>What a runner starts for one request: the argv that runs where the command runs, the bytes for its stdin,
/// and whether the caller keeps stdin open after them (the node side then takes the end of stdin as "stop").</summary>
internal readonly struct NodeCall
{
    public NodeCall(List<string> argv, byte[]? stdin, bool holdStdinOpen)
    {
        Argv = argv;
        Stdin = stdin;
        HoldStdinOpen = holdStdinOpen;
    }

    public List<string> Argv { get; }
    public byte[]? Stdin { get; }
    public bool HoldStdinOpen { get; }
}

/// <summary>How every command runs on a node (over ssh or locally): in a C locale, under coreutils timeout, which kills
/// the command's process group when its time is up; and, for a call that can be cancelled, so that the end of the
/// session's stdin ends it too. One place for both runners.</summary>
internal static class NodeSideTimeout
{
    /// <summary>The call as a runner starts it. A call that cannot be cancelled runs plainly (<see cref="Wrap"/>) and its
    /// stdin ends after the data. A cancellable one runs under the watcher (<see cref="WrapCancellable"/>), or, when the
    /// command watches for itself (<see cref="CommandRequest.EndsWhenStdinCloses"/>), plainly with one newline after the
    /// data; either way the caller keeps stdin open while it waits and closes it to stop the command.</summary>
    public static NodeCall For(CommandRequest request, bool cancellable)
    {
        if (!cancellable) return new NodeCall(Wrap(request), request.Stdin, false);
        if (!request.EndsWhenStdinCloses) return new NodeCall(WrapCancellable(request), request.Stdin, true);
        var data = request.Stdin ?? Array.Empty<byte>();
        var stdin = new byte[data.Length + 1];
        Buffer.BlockCopy(data, 0, stdin, 0, data.Length);
        stdin[data.Length] = (byte)'\n';
        return new NodeCall(Wrap(request), stdin, true);
    }

    /// <summary>env LC_ALL=C LANG=C timeout -k 2 SECONDS ARGV...</summary>
    public static List<string> Wrap(CommandRequest request)
    {
        var all = new List<string>(7 + request.Argv.Count) { "env", "LC_ALL=C", "LANG=C" };
        all.AddRange(Timeout(request));
        return all;
    }

    private static List<string> Timeout(CommandRequest request)
    {
        var seconds = Math.Max(0.1, request.Timeout.TotalSeconds).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        var all = new List<string>(4 + request.Argv.Count) { "timeout", "-k", "2", seconds };
        all.AddRange(request.Argv);
        return all;
    }

    /// <summary>
    /// The same command for a call that can be cancelled. Neither OpenSSH without a tty nor a closed channel ends a
    /// remote command (sshd refuses root's signal requests; see the lab notes), so the command is ended from the node:
    /// <c>sh -c WATCH hatools N timeout … ARGV</c>. WATCH sets the C locale (in place of env: one program fewer on every
    /// call), starts the command in the background, gives it exactly N bytes of stdin (the request's data, through a
    /// FIFO, then end-of-file; /dev/null when N is 0), and keeps reading the session's stdin, which the caller holds
    /// open for as long as it waits. When that stdin ends before the command did (the caller closed it on cancel, or
    /// the client or connection died), WATCH sends TERM to timeout, which passes it to the command's whole process
    /// group and sends KILL 2 s later. Otherwise WATCH exits with the command's own status; it prints nothing. POSIX
    /// sh, mktemp and mkfifo: Linux and FreeBSD. A command that dies by a signal exits 128+n instead of being reported
    /// by sshd as a signal (ssh exit 255). What it costs per call (bench/HaTools.Bench `call`): two forks of sh with no
    /// data, and mktemp, mkfifo, rm and head besides with data (FilePusher's script, the busy one, watches for itself).
    /// </summary>
    public static List<string> WrapCancellable(CommandRequest request)
    {
        var n = (request.Stdin?.Length ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var all = new List<string>(5 + 4 + request.Argv.Count) { "sh", "-c", Watch, "hatools", n };
        all.AddRange(Timeout(request));
        return all;
    }

    // One line (some login shells, csh among them, do not accept a newline inside quotes); no '!' but in "$!".
    // wait's stderr is dropped: dash reports a job ended by a signal there ("Terminated"), which is not the command's output.
    private const string Watch =
        "LC_ALL=C LANG=C; export LC_ALL LANG; n=$1; shift; exec 3<&0; " +
        "if [ \"$n\" = 0 ]; then " +
            "\"$@\" </dev/null & p=$!; " +
            "{ while read -r _; do :; done; kill -s TERM $p; } <&3 >/dev/null 2>&1 & w=$!; " +
        "else " +
            "d=$(mktemp -d) && mkfifo \"$d/i\" || { echo 'hatools: cannot make a fifo for stdin' >&2; exit 125; }; " +
            "\"$@\" <\"$d/i\" & p=$!; exec 4>\"$d/i\"; rm -rf \"$d\"; " +
            "{ head -c \"$n\" >&4; exec 4>&-; while read -r _; do :; done; kill -s TERM $p; } <&3 >/dev/null 2>&1 & w=$!; " +
            "exec 4>&-; " +
        "fi; " +
        "exec 3<&-; wait $p 2>/dev/null; s=$?; kill $w 2>/dev/null; exit $s";

    /// <summary>coreutils timeout exits 124 after TERM, 137 after the follow-up KILL; a command may exit so by itself,
    /// so it counts as a timeout only once the time was really up.</summary>
    public static bool Expired(ProcessOutcome o, CommandRequest request) =>
        (o.ExitCode == 124 || o.ExitCode == 137) && o.Duration >= request.Timeout - TimeSpan.FromMilliseconds(200);
}
