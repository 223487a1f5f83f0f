using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

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
}

/// <summary>Starts a local program with an exact argv (no shell), feeds stdin, captures output, enforces a hard deadline.</summary>
internal static class ProcessRunner
{
    /// <summary>Each stream is kept up to this many bytes; the rest is read and dropped.</summary>
    public const int MaxCapture = 32 * 1024 * 1024;

    private static readonly System.Reflection.PropertyInfo? ArgumentListProperty =
        typeof(ProcessStartInfo).GetProperty("ArgumentList");

    public static async Task<ProcessOutcome> RunAsync(string fileName, IReadOnlyList<string> args, byte[]? stdin, TimeSpan hardDeadline, CancellationToken cancellationToken)
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
        var inTask = Feed(proc.StandardInput.BaseStream, stdin);

        var all = Task.WhenAll(exited.Task, outTask, errTask);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = Task.Delay(hardDeadline, cts.Token);
        var first = await Task.WhenAny(all, deadline).ConfigureAwait(false);
        if (first != all)
        {
            outcome.Killed = !cancellationToken.IsCancellationRequested;
            TryKill(proc);
            // Streams close once the process is gone; do not wait forever on a grandchild holding them.
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        else
        {
            cts.Cancel();
        }
        try { await inTask.ConfigureAwait(false); } catch (IOException) { } catch (ObjectDisposedException) { }
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

    private static async Task Feed(Stream stdin, byte[]? data)
    {
        try
        {
            if (data != null && data.Length > 0)
                await stdin.WriteAsync(data, 0, data.Length).ConfigureAwait(false);
        }
        finally
        {
            stdin.Dispose();
        }
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

/// <summary>How every command runs on a node (over ssh or locally): through env in a C locale, under coreutils
/// timeout, which kills the command's process group when its time is up. One place for both runners.</summary>
internal static class NodeSideTimeout
{
    /// <summary>env LC_ALL=C LANG=C timeout -k 2 SECONDS ARGV...</summary>
    public static List<string> Wrap(CommandRequest request)
    {
        var seconds = Math.Max(0.1, request.Timeout.TotalSeconds).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        var all = new List<string>(7 + request.Argv.Count) { "env", "LC_ALL=C", "LANG=C", "timeout", "-k", "2", seconds };
        all.AddRange(request.Argv);
        return all;
    }

    /// <summary>coreutils timeout exits 124 after TERM, 137 after the follow-up KILL; a command may exit so by itself,
    /// so it counts as a timeout only once the time was really up.</summary>
    public static bool Expired(ProcessOutcome o, CommandRequest request) =>
        (o.ExitCode == 124 || o.ExitCode == 137) && o.Duration >= request.Timeout - TimeSpan.FromMilliseconds(200);
}
