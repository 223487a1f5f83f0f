using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Fanout;
using Xunit;

namespace HaTools.Tests.MultiCluster;

/// <summary>Several clusters at once (Get-HaStatus -Path a, b …): answers in the order they finish, all started together,
/// a hung one holding back only itself, failures as answers, cancellation ending everything.</summary>
public sealed class AsCompletedTests
{
    private static Func<int, CancellationToken, Task<string>> After(params int[] milliseconds) =>
        async (i, ct) => { await Task.Delay(milliseconds[i], ct); return "c" + i; };

    [Fact]
    public void Answers_come_in_the_order_they_finish_and_say_which_input_they_answer()
    {
        var got = AsCompleted.Run(3, After(600, 50, 300), 8, CancellationToken.None).ToList();
        Assert.Equal(new[] { 1, 2, 0 }, got.Select(c => c.Index));
        Assert.Equal(new[] { "c1", "c2", "c0" }, got.Select(c => c.Result));
        Assert.All(got, c => Assert.Null(c.Error));
    }

    [Fact]
    public void All_run_at_once_so_the_whole_takes_as_long_as_the_slowest()
    {
        var sw = Stopwatch.StartNew();
        var got = AsCompleted.Run(4, After(1000, 1000, 1000, 1000), 8, CancellationToken.None).ToList();
        Assert.Equal(4, got.Count);
        // One after another would take 4 s; the slack is for a loaded machine.
        Assert.True(sw.Elapsed < TimeSpan.FromMilliseconds(2500), $"took {sw.ElapsedMilliseconds} ms: not in parallel");
    }

    [Fact]
    public void A_hung_one_holds_back_only_its_own_answer()
    {
        using var hang = new SemaphoreSlim(0);
        var sw = Stopwatch.StartNew();
        var seen = new List<(int Index, TimeSpan At)>();
        foreach (var c in AsCompleted.Run(3, async (i, ct) =>
                 {
                     if (i == 0) await hang.WaitAsync(ct); // the hung cluster
                     return i;
                 }, 8, CancellationToken.None))
        {
            seen.Add((c.Index, sw.Elapsed));
            if (seen.Count == 2) hang.Release(); // released only once the others were handed over
        }
        // 1 and 2 finish together: either may come first (answers come as they arrive); the hung one comes last.
        Assert.Equal(new[] { 1, 2 }, seen.Take(2).Select(s => s.Index).OrderBy(i => i));
        Assert.Equal(0, seen[2].Index);
        Assert.True(seen[1].At < TimeSpan.FromSeconds(1), $"the second answer waited {seen[1].At.TotalMilliseconds:0} ms");
    }

    [Fact]
    public void A_failure_is_that_item_s_answer_and_the_others_still_come()
    {
        var got = AsCompleted.Run<int>(3, async (i, ct) =>
        {
            await Task.Yield();
            if (i == 1) throw new InvalidOperationException("cluster 1 is broken");
            return i * 10;
        }, 8, CancellationToken.None).OrderBy(c => c.Index).ToList();
        Assert.Equal(3, got.Count);
        Assert.Equal("cluster 1 is broken", Assert.IsType<InvalidOperationException>(got[1].Error).Message);
        Assert.Equal(new[] { 0, 20 }, new[] { got[0].Result, got[2].Result });
    }

    [Fact]
    public void Work_that_blocks_before_its_first_await_does_not_hold_up_the_others()
    {
        using var release = new ManualResetEventSlim();
        var first = AsCompleted.Run(2, (i, ct) =>
        {
            if (i == 0) release.Wait(ct); // synchronous, no await at all
            return Task.FromResult(i);
        }, 8, CancellationToken.None).First();
        release.Set();
        Assert.Equal(1, first.Index);
    }

    [Fact]
    public void The_throttle_bounds_how_many_run_at_once()
    {
        var now = 0;
        var peak = 0;
        var got = AsCompleted.Run(6, async (i, ct) =>
        {
            var n = Interlocked.Increment(ref now);
            lock (this) peak = Math.Max(peak, n);
            await Task.Delay(100, ct);
            Interlocked.Decrement(ref now);
            return i;
        }, 2, CancellationToken.None).ToList();
        Assert.Equal(6, got.Count);
        Assert.InRange(peak, 1, 2);
    }

    [Fact]
    public async Task Cancelling_ends_the_enumeration_at_once_and_cancels_the_running_work()
    {
        using var cts = new CancellationTokenSource();
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answers = new List<int>();
        var sw = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var c in AsCompleted.Run(2, async (i, ct) =>
                     {
                         // The first answer comes only once the second is running, so it is running work that is cancelled
                         // (on a loaded machine the second could otherwise not have started yet).
                         if (i == 0) { await running.Task; return 0; }
                         using var _ = ct.Register(() => cancelled.TrySetResult(true));
                         running.TrySetResult(true);
                         await Task.Delay(TimeSpan.FromSeconds(30), ct);
                         return 1;
                     }, 8, cts.Token))
            {
                answers.Add(c.Index);
                cts.Cancel();
            }
        });
        Assert.Equal(new[] { 0 }, answers);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"took {sw.ElapsedMilliseconds} ms");
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(2)); // throws TimeoutException when the work was not cancelled
    }

    [Fact]
    public async Task Leaving_early_cancels_what_is_still_running()
    {
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = AsCompleted.Run(2, async (i, ct) =>
        {
            if (i == 0) return 0;
            using var _ = ct.Register(() => cancelled.TrySetResult(true));
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return 1;
        }, 8, CancellationToken.None).First();
        Assert.Equal(0, first.Index);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(2)); // throws TimeoutException when the work was not cancelled
    }

    [Fact]
    public void Nothing_to_do_is_an_empty_answer() =>
        Assert.Empty(AsCompleted.Run(0, After(), 8, CancellationToken.None));
}
