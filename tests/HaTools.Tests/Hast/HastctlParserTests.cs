using System.Linq;
using HaTools.Core.Stacks.Hast;
using HaTools.Tests.Pacemaker;
using Xunit;

namespace HaTools.Tests.Hast;

public class HastctlParserTests
{
    // The printf formats of sbin/hastctl/hastctl.c (list: "%s:\n", "  role: %s\n" …; status: "Name\tStatus\t Role\t\tComponents\n",
    // "%s\t", "%-9s", "%-15s", "%s\t", "%s\n"; errors "  error: %d\n" and "ERR%d\n"), written out here.
    private const string ListPrimaryDegradedAndError =
        "disk0:\n  role: primary\n  provname: disk0\n  localpath: /dev/ada1\n  extentsize: 2097152 (2.0MB)\n  keepdirty: 64\n" +
        "  remoteaddr: 10.0.0.2\n  sourceaddr: 10.0.0.1\n  replication: fullsync\n  status: degraded\n  workerpid: 1201\n  dirty: 1073741824 (1.0GB)\n" +
        "  statistics:\n    reads: 10\n    writes: 20\n    deletes: 0\n    flushes: 3\n    activemap updates: 4\n" +
        "    local errors: read: 0, write: 0, delete: 0, flush: 0\n    queues: local: 0, send: 0, recv: 0, done: 0, idle: 255\n" +
        "disk1:\n  error: 1\n" +
        "disk2:\n  role: init\n  provname: disk2\n  localpath: /dev/ada3\n  extentsize: 0 (0B)\n  keepdirty: 0\n  remoteaddr: 10.0.0.2\n" +
        "  replication: memsync\n  dirty: 0 (0B)\n  statistics:\n    reads: 0\n    writes: 0\n    deletes: 0\n    flushes: 0\n    activemap updates: 0\n";

    [Fact]
    public void The_real_hastctl_list_of_a_connected_secondary()
    {
        var r = Assert.Single(HastctlParser.Parse(Fixtures.Read("hast", "hastctl-list-secondary-complete.foozone.txt"), "f1", "list.txt"));
        Assert.Equal(("storage", "f1", HastRole.Secondary, HastSyncStatus.Complete), (r.Resource, r.Node, r.Role, r.Status));
        Assert.Equal(("storage", "/dev/ada1", "192.168.1.130", "memsync"), (r.ProviderName, r.LocalPath, r.Remote, r.Replication));
        Assert.Equal((2097152L, 0, 2546, 0L), (r.ExtentSize, r.KeepDirty, r.WorkerPid, r.Dirty));
        Assert.Equal(("list", (int?)null), (r.Format, r.Error));
        Assert.Empty(r.Warnings);
    }

    [Theory]
    [InlineData("hastctl-status-primary-complete.foozone.txt", HastRole.Primary, "192.168.1.131")]
    [InlineData("hastctl-status-secondary-complete.foozone.txt", HastRole.Secondary, "192.168.1.130")]
    public void The_real_hastctl_status_tables_with_their_tabs_expanded(string file, HastRole role, string remote)
    {
        var r = Assert.Single(HastctlParser.Parse(Fixtures.Read("hast", file), "f0", file));
        Assert.Equal(("storage", role, HastSyncStatus.Complete, "/dev/ada1", remote), (r.Resource, r.Role, r.Status, r.LocalPath, r.Remote));
        Assert.Equal("status-table", r.Format);
        Assert.Null(r.Dirty); // the table has no dirty column
        Assert.Null(r.WorkerPid);
    }

    [Fact]
    public void The_real_pre_10_status_cut_off_and_without_indents()
    {
        var r = Assert.Single(HastctlParser.Parse(Fixtures.Read("hast", "hastctl-status-oldformat-PARTIAL.mwl.txt"), "skunk1", "old.txt"));
        Assert.Equal(("mirror", HastRole.Primary, "mirror", "/dev/da0s2", 2097152L), (r.Resource, r.Role, r.ProviderName, r.LocalPath, r.ExtentSize));
        Assert.Equal(("status-old", HastSyncStatus.Unknown), (r.Format, r.Status));
        Assert.Contains("line 7: 'keepdirt' is not 'key: value' (cut off?)", Assert.Single(r.Warnings));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("")]
    [InlineData("\r\n")]
    public void The_list_format_from_the_source_several_resources_degraded_in_error_and_without_a_worker(string newline)
    {
        var text = ListPrimaryDegradedAndError.Replace("\n", newline == "" ? "\n" : newline);
        if (newline == "") text = text.TrimEnd('\n');
        var rs = HastctlParser.Parse(text, "f0", "list.txt");
        Assert.Equal(new[] { "disk0", "disk1", "disk2" }, rs.Select(r => r.Resource));
        var d0 = rs[0];
        Assert.Equal((HastRole.Primary, HastSyncStatus.Degraded, 1073741824L, 1201, "10.0.0.1", 64), (d0.Role, d0.Status, d0.Dirty, d0.WorkerPid, d0.Source, d0.KeepDirty));
        var d1 = rs[1];
        Assert.Equal((1, HastRole.Unknown, HastSyncStatus.Unknown, (string?)null), (d1.Error, d1.Role, d1.Status, d1.LocalPath));
        var d2 = rs[2];
        Assert.Equal((HastRole.Init, HastSyncStatus.Unknown, (int?)null, 0L), (d2.Role, d2.Status, d2.WorkerPid, d2.Dirty));
        Assert.All(rs, r => Assert.Empty(r.Warnings));
    }

    [Fact]
    public void The_status_table_from_the_source_with_an_error_row_no_worker_and_real_tabs()
    {
        var text = "Name\tStatus\t Role\t\tComponents\n" +
                   "disk0\t" + "complete ".PadRight(9) + "primary".PadRight(15) + "/dev/ada1\t10.0.0.2\n" +
                   "disk1\tERR57\n" +
                   "disk2\t" + "-".PadRight(9) + "secondary".PadRight(15) + "/dev/ada3\tnone\n" +
                   "disk3\t" + "degraded".PadRight(9) + "primary".PadRight(15) + "/dev/ada4\t10.0.0.2";
        var rs = HastctlParser.Parse(text, null, "status.txt");
        Assert.Equal(new[] { "disk0", "disk1", "disk2", "disk3" }, rs.Select(r => r.Resource));
        Assert.Equal((HastRole.Primary, HastSyncStatus.Complete), (rs[0].Role, rs[0].Status));
        Assert.Equal((57, HastRole.Unknown), (rs[1].Error, rs[1].Role));
        Assert.Equal((HastRole.Secondary, HastSyncStatus.Unknown, "none"), (rs[2].Role, rs[2].Status, rs[2].Remote));
        Assert.Equal((HastSyncStatus.Degraded, "10.0.0.2"), (rs[3].Status, rs[3].Remote));
        Assert.All(rs, r => Assert.Null(r.Node));
    }

    [Fact]
    public void A_table_row_with_missing_fields_keeps_what_it_has_and_says_so()
    {
        var r = Assert.Single(HastctlParser.Parse("Name\tStatus\t Role\t\tComponents\nstorage\tcomplete primary        /dev/ada1\n", "f0", "s.txt"));
        Assert.Equal((HastRole.Primary, "/dev/ada1", (string?)null), (r.Role, r.LocalPath, r.Remote));
        Assert.Contains("1 of the 5 fields missing", Assert.Single(r.Warnings));
    }

    [Fact]
    public void Unknown_keys_and_a_leading_echoed_command_are_tolerated()
    {
        var r = Assert.Single(HastctlParser.Parse("root@f0:~ # hastctl list storage\nstorage:\n  role: primary\n  futurekey: 3\n  status: complete\n", "f0", "l.txt"));
        Assert.Equal((HastRole.Primary, HastSyncStatus.Complete), (r.Role, r.Status));
    }

    [Theory]
    [InlineData("hastd-syslog-handshake-timeout.apiary-adr.txt", "hastd-syslog-handshake-timeout.apiary-adr.txt:1: neither 'hastctl list' output")]
    [InlineData("zpool-status-on-hast.foozone.txt", "zpool-status-on-hast.foozone.txt:1: neither")]
    public void A_file_that_is_neither_format_is_an_error_naming_the_file_and_the_line(string file, string start)
    {
        var e = Assert.Throws<HastOutputException>(() => HastctlParser.Parse(Fixtures.Read("hast", file), "f0", file));
        Assert.StartsWith(start, e.Message);
        Assert.Equal((file, 1), (e.Source, e.Line));
    }

    [Theory]
    [InlineData("", 0, "empty")]
    [InlineData("\n\n", 0, "empty")]
    [InlineData("storage:\n  role: primary\n  this is not a key value line at all\n  status: complete\n", 3, "is not a 'key: value' line")]
    [InlineData("Name\tStatus\t Role\t\tComponents\nstorage\tcomplete\tprimary\t/dev/ada1\t10.0.0.1\textra\n", 2, "6 fields")]
    [InlineData("Name\tStatus\t Role\t\tComponents\nstorage\n", 2, "is not a 'hastctl status' row")]
    public void Broken_outputs_are_errors_with_the_line(string text, int line, string message)
    {
        var e = Assert.Throws<HastOutputException>(() => HastctlParser.Parse(text, "f0", "x.txt"));
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
        Assert.StartsWith(line > 0 ? $"x.txt:{line}: " : "x.txt: ", e.Message);
    }
}
