using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace HaTools.Core.Fanout;

/// <summary>One finished item of <see cref="AsCompleted.Run{T}"/>: its position in the input, and its result or why it has none.</summary>
public sealed class Completed<T>
{
    public Completed(int index, T? result, Exception? error, TimeSpan duration)
    {
        Index = index;
        Result = result;
        Error = error;
        Duration = duration;
    }

    public int Index { get; }
    public T? Result { get; }
    /// <summary>What the item's work threw (never a cancellation of the whole run: that ends the enumeration).</summary>
    public Exception? Error { get; }
    public TimeSpan Duration { get; }
}

/// <summary>
/// Independent pieces of work (one per cluster) started together, handed back in the order they finish, so a slow
/// or hung one holds back only its own answer. The enumeration blocks the thread that reads it (a PowerShell
/// pipeline thread writes each answer as it comes); leaving it early or cancelling cancels what is still running.
/// </summary>
public static class AsCompleted
{
    public static IEnumerable<Completed<T>> Run<T>(int count, Func<int, CancellationToken, Task<T>> work, int throttleLimit, CancellationToken cancellationToken)
    {
        if (count == 0) yield break;
        // Nothing here is disposed: work still winding down after an early exit may touch the gate, the collection
        // and the token; the garbage collector takes them once it is done.
        var all = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var gate = new SemaphoreSlim(Math.Max(1, throttleLimit));
        var finished = new BlockingCollection<Completed<T>>();
        for (var i = 0; i < count; i++)
        {
            var index = i;
            // On the pool: work that blocks before its first await must not hold up the others (or the reader).
            _ = Task.Run(() => One(index, work, gate, finished, all.Token));
        }
        try
        {
            for (var n = 0; n < count; n++)
            {
                // Take throws OperationCanceledException once the caller cancels: the caller is stopping.
                yield return finished.Take(cancellationToken);
            }
        }
        finally
        {
            // Not waited for: a stop must return at once; each piece of work ends on its own token.
            finished.CompleteAdding();
            all.Cancel();
        }
    }

    private static async Task One<T>(int index, Func<int, CancellationToken, Task<T>> work, SemaphoreSlim gate,
        BlockingCollection<Completed<T>> finished, CancellationToken token)
    {
        try
        {
            await gate.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var sw = Stopwatch.StartNew();
        Completed<T> done;
        try
        {
            done = new Completed<T>(index, await work(index, token).ConfigureAwait(false), null, sw.Elapsed);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            done = new Completed<T>(index, default, e, sw.Elapsed);
        }
        finally
        {
            gate.Release();
        }
        try
        {
            finished.Add(done);
        }
        catch (InvalidOperationException)
        {
            // The reader has gone (stopped, or left early): nobody wants this answer any more.
        }
    }
}
