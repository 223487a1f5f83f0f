using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hast;
using HaTools.Tests.Pacemaker;
using Xunit;

namespace HaTools.Tests.Hast;

public class HastCommandsTests
{
    [Fact]
    public void Hastctl_argv_are_hastctl_8s()
    {
        Assert.Equal(HastCalls.List("disk0"), HastCommands.List("disk0"));
        Assert.Equal(HastCalls.ListAll, HastCommands.List());
        Assert.Equal(HastCalls.StatusAll, HastCommands.Status());
        Assert.Equal(HastCalls.Role("init", "disk0"), HastCommands.Role(HastRole.Init, "disk0"));
        Assert.Equal(HastCalls.Role("primary", "disk0"), HastCommands.Role(HastRole.Primary, "disk0"));
        Assert.Equal(HastCalls.Role("secondary", "disk0"), HastCommands.Role(HastRole.Secondary, "disk0"));
        Assert.Equal(HastCalls.Create("disk0"), HastCommands.Create("disk0"));
        Assert.Equal(HastCalls.Dump("disk0"), HastCommands.Dump("disk0"));
        Assert.Throws<ArgumentOutOfRangeException>(() => HastCommands.Role(HastRole.Unknown, "disk0"));
    }

    [Fact]
    public void Zpool_argv_import_only_from_dev_hast_without_the_cache_and_force_only_when_asked()
    {
        Assert.Equal(HastCalls.ZpoolList("tank"), HastCommands.ZpoolList("tank"));
        Assert.Equal(HastCalls.Export("tank"), HastCommands.ZpoolExport("tank"));
        Assert.Equal(new[] { "zpool", "export", "-f", "tank" }, HastCommands.ZpoolExport("tank", force: true));
        Assert.Equal(HastCalls.Import("tank"), HastCommands.ZpoolImport("tank", force: false));
        Assert.Equal(HastCalls.ImportForced("tank"), HastCommands.ZpoolImport("tank", force: true));
        Assert.Equal(HastCalls.ZpoolImportable, HastCommands.ZpoolImportable());
    }

    [Fact]
    public void Zpool_create_follows_the_zfs_section()
    {
        var zfs = HastSpecTests.Example().Section<HastSection>().Zfs;
        Assert.Equal(new[] { "zpool", "create", "-o", "cachefile=none", "-o", "failmode=wait", "tank", "mirror", "/dev/hast/disk0", "/dev/hast/disk1" },
            HastCommands.ZpoolCreate(zfs));
        var stripe = new ZfsPoolSpec { Pool = "data" };
        var v = new VdevSpec { Type = "stripe" };
        v.Resources.Add("a0");
        stripe.Vdevs.Add(v);
        Assert.Equal(new[] { "zpool", "create", "-o", "cachefile=none", "data", "/dev/hast/a0" }, HastCommands.ZpoolCreate(stripe));
        var thin = new ZfsPoolSpec { Pool = "data" };
        var m = new VdevSpec { Type = "mirror" };
        m.Resources.Add("a0");
        thin.Vdevs.Add(m);
        Assert.Contains("at least 2", Assert.Throws<HaException>(() => HastCommands.ZpoolCreate(thin)).Message);
    }

    [Fact]
    public void Carp_and_service_argv()
    {
        Assert.Equal(HastCalls.Ifconfig("vtnet0"), HastCommands.Ifconfig("vtnet0"));
        Assert.Equal(HastCalls.Advskew("vlan0.100", 7, 240), HastCommands.CarpAdvskew("vlan0.100", 7, 240));
        Assert.Equal(HastCalls.StateBackup("em0", 1), HastCommands.CarpState("em0", 1, CarpState.Backup));
        Assert.Equal(new[] { "ifconfig", "em0", "vhid", "1", "state", "master" }, HastCommands.CarpState("em0", 1, CarpState.Master));
        Assert.Throws<ArgumentOutOfRangeException>(() => HastCommands.CarpState("em0", 1, CarpState.Init));
        Assert.Throws<ArgumentOutOfRangeException>(() => HastCommands.CarpAdvskew("em0", 1, 241));
        Assert.Throws<ArgumentOutOfRangeException>(() => HastCommands.CarpAdvskew("em0", 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => HastCommands.CarpAdvskew("em0", 256, 10));
        Assert.Equal(HastCalls.Hastd("onestart"), HastCommands.Hastd("onestart"));
        Assert.Equal(HastCalls.Hastd("onestatus"), HastCommands.Hastd("onestatus"));
        Assert.Throws<ArgumentException>(() => HastCommands.Hastd("start; reboot"));
        var alias = HastCommands.CarpAliasFromRcConf("vlan0.100", 3, 0);
        Assert.Equal(new[] { "sh", "-c" }, alias.Take(2));
        Assert.Equal(new[] { "hatools-carp", "vlan0_100", "0", "vlan0.100", "3" }, alias.Skip(3));
    }

    [Theory]
    [InlineData("disk0; reboot")]
    [InlineData("$(id)")]
    [InlineData("-f")]
    [InlineData("")]
    [InlineData("local")]
    [InlineData("1234")]
    public void A_name_that_could_run_code_or_break_hast_conf_never_becomes_an_argv(string name)
    {
        Assert.ThrowsAny<Exception>(() => HastCommands.List(name));
        Assert.ThrowsAny<Exception>(() => HastCommands.Role(HastRole.Primary, name));
        Assert.ThrowsAny<Exception>(() => HastCommands.Create(name));
        Assert.ThrowsAny<Exception>(() => HastCommands.WaitDevice(name, true, TimeSpan.FromSeconds(1)));
        if (name is "local" or "1234") return; // hast.conf words only: a pool or an interface may be called so
        Assert.ThrowsAny<Exception>(() => HastCommands.ZpoolExport(name));
        Assert.ThrowsAny<Exception>(() => HastCommands.ZpoolImport(name, false));
        Assert.ThrowsAny<Exception>(() => HastCommands.Ifconfig(name));
        Assert.ThrowsAny<Exception>(() => HastCommands.CarpAdvskew(name, 1, 0));
    }

    [Fact]
    public void Pool_names_follow_zpools_rules()
    {
        foreach (var bad in new[] { "mirror1", "raidz", "log", "c0t0", "9tank", "tank pool" })
            Assert.ThrowsAny<HaException>(() => HastCommands.ZpoolImport(bad, false));
    }

    [Fact]
    public void Every_call_is_bounded_and_the_device_wait_is_given_its_bound_plus_a_margin()
    {
        Assert.True(HastCommands.ReadTimeout > TimeSpan.Zero && HastCommands.ReadTimeout < HastCommands.ChangeTimeout);
        // hastctl's own connect timeout is 20 s: a change must outlast it, or a slow but working hastd reads as hung.
        Assert.True(HastCommands.ChangeTimeout > TimeSpan.FromSeconds(20));
        var w = HastCommands.WaitDevice("disk0", present: true, TimeSpan.FromSeconds(30));
        Assert.True(HastCalls.IsWaitDevice(w, "disk0", "present", "300"), string.Join(" ", w));
        Assert.True(HastCalls.IsWaitDevice(HastCommands.WaitDevice("disk0", present: false, TimeSpan.FromSeconds(2.55)), "disk0", "absent", "26"));
        Assert.Equal(TimeSpan.FromSeconds(35), HastCommands.WaitDeviceTimeout(TimeSpan.FromSeconds(30)));
        Assert.Throws<ArgumentOutOfRangeException>(() => HastCommands.WaitDevice("disk0", true, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => HastCommands.WaitDevice("disk0", true, TimeSpan.FromHours(2)));
        Assert.Equal(TimeSpan.FromSeconds(30), HastCommands.Bounded(HastCommands.List(), HastCommands.ChangeTimeout).Timeout);
    }

    // The wait script itself, run by this machine's sh (dash on Debian) with the device path pointed at a temporary folder.
    private static Fixtures.Run RunWait(string device, bool present, double seconds)
    {
        var argv = HastCommands.WaitDevice("disk0", present, TimeSpan.FromSeconds(seconds));
        argv[4] = device;
        return Fixtures.Exec("/bin/sh", argv.Skip(1));
    }

    [Fact]
    public async Task The_device_wait_runs_under_sh_gives_up_at_its_bound_and_names_the_state()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hatools-hastwait-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var dev = Path.Combine(dir, "disk0");
            var absent = RunWait(dev, present: true, 0.3);
            Assert.Equal(1, absent.ExitCode);
            Assert.Equal("ABSENT", absent.StdOut.Trim());

            // A character device appears while the script waits (a symlink to /dev/null stands for /dev/hast/disk0).
            var appear = Task.Run(async () => { await Task.Delay(300); File.CreateSymbolicLink(dev, "/dev/null"); });
            var present = RunWait(dev, present: true, 20);
            await appear;
            Assert.True(present.ExitCode == 0, present.ToString());
            Assert.Equal("PRESENT", present.StdOut.Trim());

            var stays = RunWait(dev, present: false, 0.3);
            Assert.Equal(1, stays.ExitCode);
            Assert.Equal("PRESENT", stays.StdOut.Trim());

            // A regular file is not a device: a stand-in file at the path never satisfies the wait.
            File.Delete(dev);
            File.WriteAllText(dev, "");
            Assert.Equal("ABSENT", RunWait(dev, present: true, 0.2).StdOut.Trim());
            File.Delete(dev);
            var gone = RunWait(dev, present: false, 5);
            Assert.Equal(0, gone.ExitCode);
            Assert.Equal("ABSENT", gone.StdOut.Trim());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
