using System.IO;
using System.Linq;
using HaTools.Cli;
using HaTools.Core;
using Xunit;

namespace HaTools.Tests.Reliability;

/// <summary>hatools' progress on stderr: plain lines when redirected, written only when an activity's text changes.</summary>
public class CliProgressTests
{
    [Fact]
    public void Redirected_progress_prints_a_line_only_when_the_status_text_changes()
    {
        var err = new StringWriter();
        var view = new ProgressView(err, terminal: false, width: 80);
        // A wait that polls every second with nothing new to say, as a bootstrap's "resources" phase does.
        for (var i = 0; i < 5; i++) view.Update(new ProgressInfo("Resources starting", "vip Stopped, svc Stopped", 0) { Id = 2 });
        view.Update(new ProgressInfo("Resources starting", "vip Started, svc Stopped", 40) { Id = 2 });
        view.Update(new ProgressInfo("Resources starting", "vip Started, svc Stopped", 60) { Id = 2 });
        view.Update(new ProgressInfo("Bootstrap c", "push: corosync.conf", 30) { Id = 1 });
        view.Update(new ProgressInfo("Resources starting", "vip Started, svc Started", 100, completed: true) { Id = 2 });
        view.Update(new ProgressInfo("Resources starting", "vip Stopped, svc Stopped", 0) { Id = 2 }); // a new round of the activity says it again
        Assert.Equal(new[]
        {
            "[  0%] Resources starting: vip Stopped, svc Stopped",
            "[ 40%] Resources starting: vip Started, svc Stopped",
            "[ 30%] Bootstrap c: push: corosync.conf",
            "[  0%] Resources starting: vip Stopped, svc Stopped",
        }, err.ToString().Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
        Assert.DoesNotContain('\u001b', err.ToString());
    }

    [Fact]
    public void Terminal_progress_redraws_each_activity_on_its_own_line_and_erases_the_bars_at_the_end()
    {
        var err = new StringWriter();
        var view = new ProgressView(err, terminal: true, width: 80);
        view.Update(new ProgressInfo("Bootstrap c", "push", 10) { Id = 1 });
        view.Update(new ProgressInfo("Waiting", "vip Stopped", 0) { Id = 2 });
        view.Update(new ProgressInfo("Bootstrap c", "start", 50) { Id = 1 });
        view.Line("WARNING: w");
        var before = err.ToString().Length;
        view.Update(new ProgressInfo("Pre-flight", "node3 probed", 100) { Id = 3 }); // a full bar that was never drawn: nothing to draw
        Assert.Equal(before, err.ToString().Length);
        view.End();
        var text = err.ToString();
        // Every bar line is drawn after "erase line"; a redraw of two bars first moves the cursor up over both.
        Assert.Contains("\r\u001b[2KBootstrap c [##..................]  10% push\n", text, System.StringComparison.Ordinal);
        Assert.Contains("\u001b[2A\r\u001b[2KBootstrap c [##########..........]  50% start\n\r\u001b[2KWaiting [....................]   0% vip Stopped\n", text, System.StringComparison.Ordinal);
        Assert.Contains("\u001b[2A\r\u001b[2K\n\r\u001b[2K\n\u001b[2AWARNING: w\n", text, System.StringComparison.Ordinal);
        Assert.EndsWith("\u001b[2A", text, System.StringComparison.Ordinal); // End(): the two bars drawn again after the warning are blanked, cursor back up
    }
}
