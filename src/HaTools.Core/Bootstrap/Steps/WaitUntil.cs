using System;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;

namespace HaTools.Core.Bootstrap.Steps;

/// <summary>A bounded wait for a condition read off the cluster (quorum, resources started, a role switched), with
/// progress and an optional watchdog that stops the wait early when what it waits for cannot happen any more.</summary>
public static class WaitUntil
{
    /// <summary>The progress id of waits (the bootstrap's own bar is <see cref="PhaseRun.ProgressId"/>).</summary>
    public const int ProgressId = 2;

    /// <param name="read">Reads the state; a <see cref="ClusterStateException"/> means "no answer yet" and is waited out.</param>
    /// <param name="notDoneBecause">Null when done, else why not yet (shown as progress and in the timeout's message).</param>
    /// <param name="watchdog">Called every <paramref name="watchEvery"/> while not done; it throws to stop waiting for
    /// something that cannot happen any more (e.g. a daemon that died), instead of waiting out the whole timeout.</param>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, string?> notDoneBecause, TimeSpan timeout, TimeSpan pollInterval,
        string what, IOperationHost host, CancellationToken ct, Func<CancellationToken, Task>? watchdog = null, TimeSpan? watchEvery = null)
    {
        var start = DateTime.UtcNow;
        DateTime? nextWatch = watchdog != null && watchEvery != null ? start + watchEvery.Value : null;
        string? last = null;
        while (true)
        {
            if (watchdog != null && nextWatch != null && DateTime.UtcNow >= nextWatch)
            {
                await watchdog(ct).ConfigureAwait(false);
                nextWatch = DateTime.UtcNow + watchEvery!.Value;
            }
            try
            {
                var s = await read(ct).ConfigureAwait(false);
                last = notDoneBecause(s);
                if (last == null) return s;
            }
            catch (ClusterStateException e)
            {
                last = e.Message;
            }
            var elapsed = DateTime.UtcNow - start;
            if (elapsed > timeout)
                throw new HaTimeoutException($"{what}: not done after {timeout.TotalSeconds:0} s: {last}");
            host.Progress(new ProgressInfo(what, last ?? "waiting", (int)Math.Min(99, 100 * elapsed.TotalSeconds / timeout.TotalSeconds)) { Id = ProgressId });
            await Task.Delay(pollInterval, ct).ConfigureAwait(false);
        }
    }
}
